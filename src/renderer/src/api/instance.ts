// The one API connection of this window, shared by the stores.
import { connectApi } from './client.ts';

export const connection = connectApi();
export const api = connection.api;
