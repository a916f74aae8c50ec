import { BadUserInputError } from './bad-user-input.error';

/**
 * An `after` value that is not a cursor the listing handed out: garbage, tampered with, a cursor of another
 * listing, or one naming a row that no longer exists. The one invalid-cursor error of the product (core/cursor.ts).
 */
export class InvalidCursorError extends BadUserInputError {
  override readonly name = 'InvalidCursorError';

  constructor(message = 'invalid cursor: pass an endCursor or edge cursor this listing returned') {
    super(message);
  }
}
