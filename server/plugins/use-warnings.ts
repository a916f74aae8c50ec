import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../resolvers/context';

/**
 * Puts the request's warnings (a disabled source, a failed cross-source enrichment: `ctx.warnings`) into the
 * answer's `extensions.warnings`, so a caller sees why a field is null or a list short without an error.
 */
export function useWarnings(): ApolloServerPlugin<Context> {
  return {
    requestDidStart({ contextValue }) {
      return Promise.resolve({
        willSendResponse({ response }) {
          if (contextValue.warnings.size > 0 && response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              warnings: [...contextValue.warnings.values()],
            };
          }
          return Promise.resolve();
        },
      });
    },
  };
}
