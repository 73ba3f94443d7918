// The npm `fernet` package (used only as an independent implementation in interop tests) ships no types.
declare module 'fernet';
