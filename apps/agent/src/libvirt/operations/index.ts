export * from './parsers';
export * from './libvirt-client';
export * from './event-stream';
