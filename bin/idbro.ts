#!/usr/bin/env node
/**
 * `idbro`: the operators' command line. It talks to a running idbro over its public GraphQL API (IDBRO_URL,
 * IDBRO_TOKEN), except `config check`, which validates this environment's settings and probes the sources
 * directly. See README "Operating idbro" → "CLI" for the commands and exit codes.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { CliError, EXIT, IdbroClient } from './client';
import { KINDS, STATES, cancelJob, listJobs, showJob, startSync, type Out } from './jobs';

const stdout: Out = {
  write: (t) => void process.stdout.write(t),
  isTTY: process.stdout.isTTY === true,
  stream: process.stdout,
};

function positiveInt(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(raw);
}

/** Runs a command's body; its result (or CliError's code) becomes the exit code. */
function run(body: () => Promise<number>): () => Promise<void> {
  return async () => {
    process.exitCode = await body();
  };
}

export function buildProgram(out: Out = stdout): Command {
  const program = new Command('idbro')
    .description('Operate idbro: sync jobs over its GraphQL API (IDBRO_URL, IDBRO_TOKEN) and a check of the settings.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('jobs')
    .description('list sync jobs, newest first')
    .option('--kind <kind>', `only this kind: ${KINDS.join(', ')}`)
    .option('--state <state>', `only jobs in this state: ${STATES.join(', ')}`)
    .option('--first <n>', 'how many', positiveInt, 20)
    .option('--json', 'print JSON')
    .action((o: { kind?: string; state?: string; first: number; json?: boolean }) =>
      run(() => listJobs(new IdbroClient(), out, o))(),
    );

  program
    .command('job')
    .description('show one job: state, counts, message and issues')
    .argument('<id>', 'job id (sync:<uuid> or the bare uuid)')
    .option('--issues <n>', 'most issues to print', positiveInt, 50)
    .option('--json', 'print JSON')
    .action((id: string, o: { issues: number; json?: boolean }) => run(() => showJob(new IdbroClient(), out, id, o))());

  program
    .command('sync')
    .description('start a sync job (a kind already queued or running returns that job)')
    .argument('<kind>', `${KINDS.join(', ')} (los-import etc. also accepted)`)
    .option('--dry-run', 'report what would change, change nothing')
    .option(
      '--mode <mode>',
      'UNILOGIN_EXPORT: FULL, INCREMENTAL or DELETE; CRISTIN_EXPORT: FULL (default) or INCREMENTAL',
    )
    .option('--force', "run even when the kind's guard would stop it")
    .option('--follow', 'show its progress until it ends, then a summary; exit code 0 only when it SUCCEEDED')
    .option('--interval <ms>', 'how often --follow asks for progress', positiveInt, 1000)
    .option('--issues <n>', 'most issues the summary prints', positiveInt, 20)
    .action(
      (
        kind: string,
        o: { dryRun?: boolean; mode?: string; force?: boolean; follow?: boolean; interval: number; issues: number },
      ) => run(() => startSync(new IdbroClient(), out, kind, { ...o, intervalMs: o.interval }))(),
    );

  program
    .command('cancel')
    .description('cancel a queued or running job')
    .argument('<id>', 'job id')
    .action((id: string) => run(() => cancelJob(new IdbroClient(), out, id))());

  const config = program.command('config').description('settings');
  config
    .command('check')
    .description('validate the settings of this environment and probe each configured source (prints no secret)')
    .option('--timeout <ms>', 'time-out of each probe', positiveInt, 5000)
    .action((o: { timeout: number }) =>
      run(async () => (await import('./config-check.js')).configCheck(out, process.env, o.timeout))(),
    );

  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not failures; commander has already printed its message.
      process.exitCode =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version'
          ? EXIT.OK
          : EXIT.USAGE;
      return;
    }
    if (e instanceof CliError) {
      process.stderr.write(`idbro: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`idbro: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EXIT.FAILED;
  }
}

if (require.main === module) void main();
