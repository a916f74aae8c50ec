import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type FragmentDefinitionNode, type ParseOptions, type ValidationRule } from 'graphql';
import type { Config } from '../../core/config';
import { badInput } from '../../core/errors';
import { operationCost } from '../query-cost';
import { hook } from './hook';

/**
 * Query limits, each a setting (core/config.ts has the defaults):
 *   MAX_TOKENS             the parser stops after this many tokens (graphql-js `maxTokens`)
 *   MAX_ALIASES            aliases in one operation (GraphQL Armor)
 *   MAX_DIRECTIVES         directives in one operation (GraphQL Armor)
 *   MAX_QUERY_DEPTH        nested fields, fragments flattened; a `__schema` subtree is exempt (GraphQL Armor)
 *   MAX_INTROSPECTION_DEPTH the same count over the whole operation, `__schema` included (GraphQL Armor)
 *   MAX_QUERY_COST         estimated upstream work, variables applied (ours: server/query-cost.ts says why)
 * graphql-js's own MaxIntrospectionDepthRule (always on) also caps how deeply introspection nests the
 * `fields`/`interfaces`/`possibleTypes` lists, the exponential case that a depth cap alone allows.
 *
 * Tokens, aliases, directives and depth are checked while Apollo parses and validates, which it does once per
 * distinct document (validated documents are cached); the cost needs the variables, so it is checked once per
 * request, after the operation is resolved and before any resolver runs. Every refusal is BAD_USER_INPUT,
 * HTTP 400, with a message naming the setting to raise.
 */
export interface Limits {
  plugin: ApolloServerPlugin;
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

/** Armor's own option types come from a package of its own; derived here so we depend on graphql-armor alone. */
type GraphQLArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type RejectCallback = NonNullable<NonNullable<GraphQLArmorConfig['maxAliases']>['onReject']>[number];

type LimitConfig = Pick<
  Config,
  'maxDepth' | 'maxCost' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxIntrospectionDepth'
>;

/** graphql-js's message when `maxTokens` stops the parser ("more that" is its spelling). */
const TOKENS_EXCEEDED = /Document contains more th(?:an|at) (\d+) tokens/;

export function useLimits(config: LimitConfig): Limits {
  /** Armor reports "… limit of N exceeded, found M."; we answer in our vocabulary, naming the setting. */
  const refuse =
    (setting: string, what: (found: string, limit: number) => string, limit: number): RejectCallback =>
    (ctx, err) => {
      const found = /found (\d+)/.exec(err.message)?.[1] ?? 'more';
      ctx?.reportError(
        badInput(`${what(found, limit)} (${setting}).`, { setting, limit, actual: Number(found) || undefined }),
      );
    };
  const off = { enabled: false };
  // Field suggestions stay on: introspection is enabled, so "Did you mean …" reveals nothing and helps callers.
  // Armor's own cost limit is off (see query-cost.ts), and so is its token plugin: it parses every document a
  // second time and throws from parsingDidStart, which Apollo answers as an unexpected error (HTTP 500);
  // graphql-js's parser counts tokens itself (`maxTokens`) and stops early with a syntax error (HTTP 400).
  const armor: GraphQLArmorConfig = {
    blockFieldSuggestion: off,
    costLimit: off,
    maxTokens: off,
    maxAliases: {
      n: config.maxAliases,
      propagateOnRejection: false,
      onReject: [
        refuse('MAX_ALIASES', (f, n) => `The operation uses ${f} aliases; the limit is ${n}`, config.maxAliases),
      ],
    },
    maxDirectives: {
      n: config.maxDirectives,
      propagateOnRejection: false,
      onReject: [
        refuse(
          'MAX_DIRECTIVES',
          (f, n) => `The operation uses ${f} directives; the limit is ${n}`,
          config.maxDirectives,
        ),
      ],
    },
    maxDepth: {
      n: config.maxDepth,
      flattenFragments: true,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [refuse('MAX_QUERY_DEPTH', (f, n) => `Query depth ${f} exceeds the limit of ${n}`, config.maxDepth)],
    },
  };
  // Introspection gets its own, larger depth cap: GraphiQL's introspection query is 15 fields deep. It counts the
  // whole operation, so it is never below MAX_QUERY_DEPTH (which has already refused anything deeper outside
  // `__schema`).
  const introspectionDepth = Math.max(config.maxIntrospectionDepth, config.maxDepth);
  const introspection: GraphQLArmorConfig = {
    blockFieldSuggestion: off,
    costLimit: off,
    maxTokens: off,
    maxAliases: off,
    maxDirectives: off,
    maxDepth: {
      n: introspectionDepth,
      flattenFragments: true,
      ignoreIntrospection: false,
      propagateOnRejection: false,
      onReject: [
        refuse(
          'MAX_INTROSPECTION_DEPTH',
          (f, n) => `Introspection depth ${f} exceeds the limit of ${n}`,
          introspectionDepth,
        ),
      ],
    },
  };
  const validationRules = [
    ...new ApolloArmor(armor).protect().validationRules,
    ...new ApolloArmor(introspection).protect().validationRules,
  ];

  const plugin: ApolloServerPlugin = {
    requestDidStart: () =>
      hook(() => ({
        didResolveOperation: ({ document, operation, request, schema }) =>
          hook(() => {
            if (!operation) return;
            const fragments: Record<string, FragmentDefinitionNode> = {};
            for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
            const cost = operationCost(schema, operation, fragments, request.variables ?? {});
            if (cost !== null && cost > config.maxCost) {
              throw badInput(
                `Query cost ${cost} exceeds the limit of ${config.maxCost} (MAX_QUERY_COST): ask for fewer items per page or fewer nested lists.`,
                { setting: 'MAX_QUERY_COST', limit: config.maxCost, actual: cost, http: { status: 400 } },
              );
            }
          }),
        didEncounterErrors: ({ errors }) =>
          hook(() => {
            // The parser's token limit has no hook of its own: name the setting in its syntax error.
            for (const e of errors) {
              const m = TOKENS_EXCEEDED.exec(e.message);
              if (!m || !(e instanceof GraphQLError)) continue;
              e.message = `The document has more than ${config.maxTokens} tokens, the limit (MAX_TOKENS).`;
              Object.assign(e.extensions, { setting: 'MAX_TOKENS', limit: config.maxTokens });
            }
          }),
      })),
  };
  return { plugin, validationRules, parseOptions: { maxTokens: config.maxTokens } };
}
