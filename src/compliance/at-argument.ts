/** `--at 1234` is a log position, anything else a time for the use case to check (commander parser). */
export const atArgument = (raw: string): number | string => (/^\d{1,15}$/.test(raw) ? Number(raw) : raw);
