import { httpError } from './error-table.js';

/**
 * How many request-body bytes the app holds at once, over all requests. Each body is
 * reserved before it is read (its Content-Length, or the body limit when it is chunked) and
 * released once its request is answered; a body that would pass the budget is refused with
 * 503 and Retry-After instead of growing the process. Only authenticated requests get here.
 */
export class BodyBudget {
  private held = 0;

  constructor(private readonly limit: number, private readonly perBody: number) {}

  /** Reserves room for one body; returns the release function. */
  reserve(headers: Headers): () => void {
    const declared = Number(headers.get('content-length'));
    const bytes = Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, this.perBody) : this.perBody;
    if (this.held + bytes > this.limit) {
      throw httpError('busy', 'server_busy', `The mock is already holding ${Math.round(this.held / 1_048_576)} MB of request bodies: retry in a moment.`);
    }
    this.held += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= bytes;
    };
  }
}
