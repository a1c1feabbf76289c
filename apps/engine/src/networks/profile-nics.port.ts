import type { EntityManager } from 'typeorm';
import type { Named } from '../crud/inventory.service';

/** A NIC that attaches to a profile, with its VM. */
export type NicOfProfile = Named & { vm?: Named };

/**
 * What deleting a vNIC profile asks about the NICs using it. NICs sit above networks (the nics module
 * imports this one), so networks cannot import them: the nics module provides this port, and the
 * profiles service looks it up when a delete needs it.
 */
export abstract class ProfileNicsPort {
  /** The NICs attached to the profile, by name, with their VM (inside the delete's transaction). */
  abstract usingProfile(tx: EntityManager, profileId: string): Promise<NicOfProfile[]>;
}
