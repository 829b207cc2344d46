/** Header changes applied to routed requests. */
export interface HeaderRewrite {
  /**
   * Headers set on the request (replacing existing values).
   * @default - none
   */
  readonly set?: { [name: string]: string };
  /**
   * Headers removed from the request.
   * @default - none
   */
  readonly remove?: string[];
}
