import type { ChildProcess } from 'node:child_process';

/** A message between a benchmark and its simulator process: `op` names it. */
export type Msg = { op: string; [k: string]: unknown };

/** Sends `{op}` to the child and resolves with its first answer of the same op. */
export function ask(child: ChildProcess, op: string): Promise<Msg> {
  return new Promise((resolve) => {
    const on = (m: Msg) => {
      if (m.op === op) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send({ op });
  });
}
