import { startCerebrumSimulator, generateCerebrumData } from '../simulators/cerebrum';

/**
 * The Cerebrum simulator in its own process, so that a benchmark measures the gateway's CPU alone.
 * Driven over IPC: argv = persons, latencyMs[, events AMQP URL, exchange]; messages {op: 'stats' | 'reset' | 'stop'},
 * and {op: 'mutate', m} (with events: the change is published; answers the wall-clock ms just before publishing).
 */
async function main(): Promise<void> {
  const persons = Number(process.argv[2] ?? 500);
  const latencyMs = Number(process.argv[3] ?? 5);
  const [eventsUrl, exchange] = [process.argv[4], process.argv[5]];
  const sim = await startCerebrumSimulator({
    apiKey: 'bench-key',
    latencyMs,
    data: generateCerebrumData({ persons, seed: 1 }),
    ...(eventsUrl ? { events: { url: eventsUrl, exchange: exchange ?? 'cerebrum' } } : {}),
  });
  let cpu0 = process.cpuUsage();
  const onMessage = async (m: { op: string; m?: unknown }) => {
    if (m.op === 'reset') {
      sim.stats.reset();
      cpu0 = process.cpuUsage();
      process.send!({ op: 'reset' });
    }
    if (m.op === 'stats') {
      const cpu = process.cpuUsage(cpu0);
      process.send!({
        op: 'stats',
        total: sim.stats.total,
        peakInFlight: sim.stats.peakInFlight,
        distinct: sim.stats.byPath.size,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    }
    if (m.op === 'mutate') {
      // sim.mutate changes the data, then publishes: the time taken here is the moment of publishing (±1 ms).
      const at = performance.timeOrigin + performance.now();
      const { events } = await sim.mutate(m.m);
      process.send!({ op: 'mutate', at, jtis: events.map((e) => e.jti) });
    }
    if (m.op === 'stop') {
      await sim.stop();
      process.exit(0);
    }
  };
  // A failure ends the process as an unhandled rejection, as it did when the listener was async.
  process.on('message', (m: { op: string; m?: unknown }) => void onMessage(m));
  process.send!({ op: 'ready', url: sim.url });
}

void main();
