// The "Warden" log output channel behind the core's Logger port. Known secrets are masked on the way in,
// so a key that slips into an error message never reaches the log.
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { Disposable } from './disposable';

export class OutputLogger extends Disposable implements Logger {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Warden') {
    super();
    this.channel = this.register(vscode.window.createOutputChannel(name, { log: true }));
  }

  /** Masks `value` in every later message (the API key once it is known). */
  addSecret(value: string | undefined): void {
    if (value !== undefined && value.length >= 4) this.secrets.add(value);
  }

  debug(message: string): void {
    this.channel.debug(this.mask(message));
  }

  info(message: string): void {
    this.channel.info(this.mask(message));
  }

  warn(message: string): void {
    this.channel.warn(this.mask(message));
  }

  error(message: string): void {
    this.channel.error(this.mask(message));
  }

  show(): void {
    this.channel.show(true);
  }

  private mask(message: string): string {
    let masked = message;
    for (const secret of this.secrets) masked = masked.split(secret).join('[redacted]');
    return masked;
  }
}
