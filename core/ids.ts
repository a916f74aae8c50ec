import { badInput } from './errors';

/**
 * Global IDs are `<source>:<native id>` (design/architecture.md). Cerebrum entity ids are numbers shared by
 * every entity type, so persons keep the bare form `cerebrum:85073` (the contract's example) and the other
 * Cerebrum types say what they are: `cerebrum:ou:567`, `cerebrum:account:torte`.
 */
export type ParsedId =
  | { source: 'cerebrum'; type: 'person' | 'ou' | 'account'; nativeId: string }
  | { source: 'los' | 'fs' | 'unilogin' | 'sync'; type: string; nativeId: string };

export function parseGlobalId(id: string): ParsedId {
  const m = /^(cerebrum|los|fs|unilogin|sync):(.+)$/.exec(id);
  if (!m)
    throw badInput(
      `"${id}" is not a global ID: expected "<source>:<native id>", e.g. "cerebrum:85073" or "los:<uuid>"`,
    );
  // Every group below is required, so a match sets it: the defaults only satisfy the type checker.
  const [, source = '', rest = ''] = m;
  if (source === 'cerebrum') {
    const typed = /^(ou|account|person):(.+)$/.exec(rest);
    if (typed) {
      const [, type = '', nativeId = ''] = typed;
      return { source, type: type as 'person' | 'ou' | 'account', nativeId };
    }
    return { source, type: 'person', nativeId: rest };
  }
  const typed = /^([a-z]+):(.+)$/.exec(rest);
  if (typed && !/^[0-9a-f]{8}-/i.test(rest)) {
    const [, type = '', nativeId = ''] = typed;
    return { source: source as 'los' | 'fs' | 'unilogin' | 'sync', type, nativeId };
  }
  return { source: source as 'los' | 'fs' | 'unilogin' | 'sync', type: '', nativeId: rest };
}
