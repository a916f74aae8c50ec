import { startCerebrumSimulator, generateCerebrumData } from '../simulators/cerebrum';

/**
 * The Cerebrum simulator in its own process, so that a benchmark measures the gateway's CPU alone.
 * Driven over IPC: argv = persons, latencyMs; messages {op: 'stats' | 'reset' | 'stop'}.
 */
async function main(): Promise<void> {
  const persons = Number(process.argv[2] ?? 500);
  const latencyMs = Number(process.argv[3] ?? 5);
  const sim = await startCerebrumSimulator({ apiKey: 'bench-key', latencyMs, data: generateCerebrumData({ persons, seed: 1 }) });
  process.on('message', async (m: { op: string }) => {
    if (m.op === 'reset') { sim.stats.reset(); process.send!({ op: 'reset' }); }
    if (m.op === 'stats') {
      process.send!({ op: 'stats', total: sim.stats.total, peakInFlight: sim.stats.peakInFlight, distinct: sim.stats.byPath.size });
    }
    if (m.op === 'stop') { await sim.stop(); process.exit(0); }
  });
  process.send!({ op: 'ready', url: sim.url });
}

void main();
