/**
 * Where a paused run waits for the answer to its certificate question: one question at a time,
 * answered by the person (y/n) or, on cancel and shutdown, with no. A certificate trusted is
 * handed on to be saved (server.fingerprint).
 */
import type {CertificateQuestion} from '../backup/events.js';

export class TrustGate {
	private answer: ((trust: boolean) => void) | undefined;
	private question: CertificateQuestion | undefined;

	constructor(private readonly onChange: (question: CertificateQuestion | undefined) => void, private readonly onTrusted: (fingerprint: string) => void = () => undefined) {}

	get waiting(): boolean {
		return this.answer !== undefined;
	}

	ask(question: CertificateQuestion): Promise<boolean> {
		this.settle(false);
		return new Promise(resolve => {
			this.answer = resolve;
			this.question = question;
			this.onChange(question);
		});
	}

	/** Answer the question waiting, if there is one. */
	settle(trust: boolean): void {
		const {answer, question} = this;
		this.answer = undefined;
		this.question = undefined;
		if (!answer) return;
		if (trust && question) this.onTrusted(question.fingerprint);
		this.onChange(undefined);
		answer(trust);
	}
}
