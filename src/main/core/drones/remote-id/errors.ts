/** Input the Remote ID codec cannot read or write; the message is one line saying why. */
export class RemoteIdError extends Error {
  override name = 'RemoteIdError';
}
