import { Gauge, type Registry } from 'prom-client';

/** What `fanOutMetrics` reads: the open shared upstreams and the subscribers they serve. */
export interface FanOutSize {
  readonly fanOutSize: { upstreams: number; subscribers: number };
}

/** How many upstreams `@fanOut` subscribers share, on `/metrics`. */
export function fanOutMetrics(subscriptions: FanOutSize, registry: Registry): void {
  new Gauge({
    name: 'router_fanout_upstreams',
    help: 'Upstream subscriptions open for @fanOut fields, each shared by its subscribers.',
    registers: [registry],
    collect() {
      this.set(subscriptions.fanOutSize.upstreams);
    },
  });
  new Gauge({
    name: 'router_fanout_subscribers',
    help: 'Client subscriptions served from those upstreams.',
    registers: [registry],
    collect() {
      this.set(subscriptions.fanOutSize.subscribers);
    },
  });
}
