// One pass at a time: a writer (Ingress status, Gateway API status, the Gateway provisioner) asks for a pass
// whenever its inputs change; a request while a pass runs marks one more pass to run after it (however many
// requests came meanwhile), so passes never overlap and the last inputs are always looked at.
export class SerialPasses {
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(private readonly pass: () => Promise<void>) {}

  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.request();
      }
    });
  }

  /** Resolves when no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** No pass starts after this; resolves when the running one ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
