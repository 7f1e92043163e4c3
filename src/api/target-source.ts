/** The targets pingEach takes: any iterable or async iterable of names and addresses (an array, addressRange(), a generator, the lines of a stream). */
export type TargetSource = Iterable<string> | AsyncIterable<string>;
