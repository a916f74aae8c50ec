/**
 * Runs the body of an Apollo plugin hook the way an `async` function runs it: now, synchronously, with its result
 * or its throw turned into a promise. Apollo's hook types ask for a Promise, and a hook that refuses a request must
 * reject rather than throw: Apollo calls every plugin's hook in one `Promise.all(listeners.map(…))`, so a
 * synchronous throw would skip the hooks of the plugins after it. For hook bodies with nothing to await.
 */
export function hook<T>(body: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(body()));
}
