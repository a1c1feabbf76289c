/** A setup the agent refuses before touching anything; `reason` names the network, bond or NIC. */
export class SetupRefused extends Error {}
