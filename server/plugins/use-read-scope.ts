import { OperationTypeNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { gqlError } from '../../core/errors';
import type { Context } from '../../resolvers/context';

/**
 * Queries need scope `read`. Checked once the operation is known and before any resolver runs, so a token
 * without it causes no upstream request; mutations have their own scopes (use-mutation-scope.ts).
 * Put it before the limits plugin: a caller without scope read hears FORBIDDEN, not about costs.
 */
export function useReadScope(): ApolloServerPlugin<Context> {
  return {
    requestDidStart({ contextValue }) {
      return Promise.resolve({
        didResolveOperation({ operation }) {
          if (operation?.operation === OperationTypeNode.QUERY && !contextValue.scopes.has('read')) {
            return Promise.reject(
              gqlError('FORBIDDEN', 'Queries need scope "read", which this token does not have.', {
                http: { status: 403 },
              }),
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
