export function installedElectron(): string | null;
