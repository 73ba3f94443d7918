/** What every secret write answers: enough to read one's own write on any replica (`position`). */
export interface WriteResult {
  readonly id: string;
  readonly name: string;
  readonly env: string;
  readonly version: number;
  /** Global log position of the write; pass it as a minimum position to read your own write. */
  readonly position: number;
}
