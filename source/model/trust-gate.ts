/**
 * Where a paused run waits for the answer to its certificate question: one question at a time,
 * answered by the person (y/n) or, on cancel and shutdown, with no.
 */
import type {CertificateQuestion} from '../backup/events.js';

export class TrustGate {
	private answer: ((trust: boolean) => void) | undefined;

	constructor(private readonly onChange: (question: CertificateQuestion | undefined) => void) {}

	get waiting(): boolean {
		return this.answer !== undefined;
	}

	ask(question: CertificateQuestion): Promise<boolean> {
		this.settle(false);
		return new Promise(resolve => {
			this.answer = resolve;
			this.onChange(question);
		});
	}

	/** Answer the question waiting, if there is one. */
	settle(trust: boolean): void {
		const answer = this.answer;
		this.answer = undefined;
		if (!answer) return;
		this.onChange(undefined);
		answer(trust);
	}
}
