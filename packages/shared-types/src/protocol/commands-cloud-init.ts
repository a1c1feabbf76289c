import { z } from 'zod';
import { domainRef, spec } from './command-spec';

const doc = z.string().max(256 * 1024);

/** cloud-init NoCloud seed: an ISO (volume label `cidata`) built on the host and attached as a CD-ROM. */
export const CLOUD_INIT_COMMANDS = {
  'vm.cloud-init.attach': spec({
    payload: domainRef.extend({
      /** Where the ISO is written (replaced when it exists). */
      isoPath: z
        .string()
        .min(2)
        .max(1024)
        .regex(/^\/[^\0]*\.iso$/, 'absolute path ending in .iso')
        .refine((p) => !p.split('/').includes('..'), 'no ".." components'),
      metaData: doc,
      userData: doc,
      networkConfig: doc.optional(),
    }),
    result: z.object({
      isoPath: z.string(),
      sizeBytes: z.number().int(),
      target: z.string(),
      /** false: the domain runs and the CD-ROM applies at its next start (persistent config only). */
      live: z.boolean(),
    }),
    idempotent: true,
    timeoutMs: 120_000,
  }),
} as const;
