export * from '../mapping/parsers';
export * from './libvirt-client';
export * from './event-stream';
