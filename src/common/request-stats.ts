/**
 * The last minute's requests and errors, for GET /status: sixty one-second buckets in a ring,
 * each stamped with its second, so a bucket left from a minute ago is seen as stale and reset when
 * reused. Fixed memory, no timer; recording is a few integer operations per request.
 */
export interface MinuteFigures {
  /** Requests answered in the last 60 s (health checks not counted). */
  requests: number;
  /** Of them, answered with a 4xx status (refused: bad input, no token, a limit). */
  clientErrors: number;
  /** Of them, answered with a 5xx status (the server's fault). */
  serverErrors: number;
  /** serverErrors / requests (0 without requests). */
  errorRate: number;
}

const SECONDS = 60;

export class RequestStats {
  private readonly second = new Float64Array(SECONDS).fill(-1);
  private readonly requests = new Uint32Array(SECONDS);
  private readonly clientErrors = new Uint32Array(SECONDS);
  private readonly serverErrors = new Uint32Array(SECONDS);

  record(statusCode: number, now = Date.now()): void {
    const sec = Math.floor(now / 1000);
    const i = sec % SECONDS;
    if (this.second[i] !== sec) {
      this.second[i] = sec;
      this.requests[i] = 0;
      this.clientErrors[i] = 0;
      this.serverErrors[i] = 0;
    }
    this.requests[i]++;
    if (statusCode >= 500) this.serverErrors[i]++;
    else if (statusCode >= 400) this.clientErrors[i]++;
  }

  lastMinute(now = Date.now()): MinuteFigures {
    const sec = Math.floor(now / 1000);
    let requests = 0;
    let clientErrors = 0;
    let serverErrors = 0;
    for (let i = 0; i < SECONDS; i++) {
      if (this.second[i] <= sec - SECONDS || this.second[i] > sec) continue;
      requests += this.requests[i];
      clientErrors += this.clientErrors[i];
      serverErrors += this.serverErrors[i];
    }
    return { requests, clientErrors, serverErrors, errorRate: requests ? serverErrors / requests : 0 };
  }
}
