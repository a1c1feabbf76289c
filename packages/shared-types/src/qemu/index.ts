export * from './tcg-ram-pad';
