/** Nest injection tokens for the runtime's non-class dependencies. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const IDS = Symbol('IDS');
export const OPTIONS = Symbol('STRONGROOM_OPTIONS');
export const LOGGER = Symbol('LOGGER');
