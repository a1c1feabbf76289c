/* eslint-disable */
// Generated from docs/openapi.json by packages/shared-types/src/tools/gen-api.ts — do not edit.
// Regenerate: pnpm gen:api (after `node apps/engine/dist/tools/openapi.js`).

export interface paths {
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in with a username and password: sets the session cookie (HttpOnly, SameSite=Strict)
         * @description 401 on a wrong username or password; 429 once a username or an address is locked out after repeated failures.
         */
        post: operations["AuthController_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["AuthController_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller: user, how they authenticated, and their permissions on the system */
        get: operations["AuthController_whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the identity provider sends the browser back: opens a session and redirects to the portal
         * @description On failure a browser is sent (303) to the portal's login page with `?login_error=<code>`. A client that accepts only JSON gets: 400 when the state is not the one this browser left with (or is used or expired); 401 when the provider refused or its answer fails validation; 409 when the username belongs to a local user; 502 when the provider is out of reach.
         */
        get: operations["OidcController_callback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/oidc/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start an OpenID Connect login: redirects the browser to the identity provider
         * @description The state, nonce and PKCE verifier stay on the engine for 10 minutes. On failure a browser is sent (303) to the portal's login page with `?login_error=<code>`; a client that accepts only JSON gets 404 when not configured, 502 when the provider is out of reach.
         */
        get: operations["OidcController_login"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change the caller's password; their other sessions end */
        post: operations["AuthController_changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's permissions on one object (what the portal may offer there) */
        get: operations["AuthController_permissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How one may log in here (the login page asks before anyone is logged in) */
        get: operations["OidcController_providers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["AuthController_tokens"];
        put?: never;
        /** Create an API token: the answer holds the token, shown this once */
        post: operations["AuthController_createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of the caller's API tokens: it stops working at once */
        delete: operations["AuthController_revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cloud-init/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["CloudInitController_preview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ClustersController_list"];
        put?: never;
        post: operations["ClustersController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/networks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Networks attached to a cluster */
        get: operations["ClusterNetworksController_list"];
        put?: never;
        /** Attach a network of the same datacenter to a cluster */
        post: operations["ClusterNetworksController_attach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{clusterId}/networks/{networkId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["ClusterNetworksController_detach"];
        options?: never;
        head?: never;
        patch: operations["ClusterNetworksController_update"];
        trace?: never;
    };
    "/api/v1/clusters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ClustersController_get"];
        put?: never;
        post?: never;
        delete: operations["ClustersController_remove"];
        options?: never;
        head?: never;
        patch: operations["ClustersController_update"];
        trace?: never;
    };
    "/api/v1/clusters/{id}/affinity-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The cluster's affinity groups */
        get: operations["SchedulingController_list"];
        put?: never;
        /**
         * Create an affinity group
         * @description VMs of the cluster kept on the same host (positive) or on different hosts (negative). Enforcing: every placement refuses hosts that break it; otherwise the scheduler prefers hosts that keep it.
         */
        post: operations["SchedulingController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{id}/affinity-groups/{groupId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an affinity group */
        get: operations["SchedulingController_get"];
        put?: never;
        post?: never;
        /** Delete an affinity group */
        delete: operations["SchedulingController_remove"];
        options?: never;
        head?: never;
        /** Change an affinity group (vmIds replaces the members) */
        patch: operations["SchedulingController_update"];
        trace?: never;
    };
    "/api/v1/clusters/{id}/affinity-violations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * VMs that break an affinity group where they are defined now
         * @description Per group member: a VM off the hosts it is pinned to, on a host its group keeps it off, sharing a host with a member of a negative group, or away from the other members of a positive one.
         */
        get: operations["SchedulingController_violations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{id}/balance/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Dry run of balancing: the migrations the next run would start, and why
         * @description The plan the periodic balancing computes (also when it is off for the cluster): each host's state against the policy's thresholds, the next batch of moves (each placed by the scheduler, so every filter and affinity group holds), the VMs left alone in their cool-down, and for power saving the hosts that can be powered down.
         */
        get: operations["BalancingController_plan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{id}/rolling-maintenance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Maintain the hosts of a cluster one at a time
         * @description One host at a time: maintenance (its running VMs live-migrated by the scheduler, never onto a host in or preparing for maintenance or not up), then `action`, then activated, and the next host once it is up. 202 with one `cluster.rolling_maintenance` task, a step per host. Every host must be up (409 naming those that are not). A VM that cannot leave keeps its host preparing with the VM named: the run waits for `POST /hosts/{id}/maintenance/resolve`, and stops if the host is activated instead. Cancel with `POST /tasks/{id}/cancel` (the host at hand stays as it is). An engine that stops during the run is replaced by another (or itself, restarted), which continues it.
         */
        post: operations["RollingMaintenanceController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clusters/{id}/rolling-maintenance/continue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Continue a rolling maintenance that waits for the admin
         * @description With `action: wait_for_admin`: activates the host the run waits on (as `POST /hosts/{id}/activate`); the run goes on once it is up. 409 when no run of the cluster waits.
         */
        post: operations["RollingMaintenanceController_continue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datacenters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DataCentersController_list"];
        put?: never;
        post: operations["DataCentersController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datacenters/{datacenterId}/mac-pool": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The datacenter's MAC pool (new NICs without a MAC draw from it) */
        get: operations["MacPoolsController_get"];
        /** Replace the pool's ranges (NICs keep their MACs, also those now outside) */
        put: operations["MacPoolsController_update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datacenters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DataCentersController_get"];
        put?: never;
        post?: never;
        delete: operations["DataCentersController_remove"];
        options?: never;
        head?: never;
        patch: operations["DataCentersController_update"];
        trace?: never;
    };
    "/api/v1/disks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DisksController_list"];
        put?: never;
        post: operations["DisksController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/disks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DisksController_get"];
        put?: never;
        post?: never;
        delete: operations["DisksController_remove"];
        options?: never;
        head?: never;
        patch: operations["DisksController_update"];
        trace?: never;
    };
    "/api/v1/disks/{id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a disk's image (its VM down), streamed from a host
         * @description The volume as stored (qcow2 or raw). 409 while its VM is not down or a snapshot overlay is on it.
         */
        get: operations["DiskContentController_download"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/disks/{id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a disk to another storage domain (its VM down or running)
         * @description VM down: copied on a host with both pools active (qemu-img convert). VM up or paused: moved live on its host (a new volume in the target domain, blockcopy with progress, pivot; `POST /tasks/{id}/cancel` aborts it and the VM stays on the source). Then the disk is switched and the old volume deleted. 202 with a `disk.move` task; 409 while the VM is in another state.
         */
        post: operations["DiskContentController_move"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/disks/{id}/resize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Grow a disk on its host
         * @description `blockresize` while its VM is up or paused (the guest sees the new size at once), `vol-resize` otherwise; a disk whose volume was never created only changes its record. 202 with a `disk.resize` task.
         */
        post: operations["DiskResizeController_resize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List audit events (newest first by default) */
        get: operations["EventsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["EventsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live stream (Server-Sent Events)
         * @description One JSON `StreamMessage` per `data:` line; a `: heartbeat` comment every 15 s. Filters: objectType, objectId (match any object the message concerns), types. At most `KELPIE_STREAM_MAX_PER_CLIENT` connections per user across all engines: 429 past it. Only messages about objects the caller may see are sent. A client that does not read gets a `stream.resync` message and is disconnected. See docs/api.md.
         */
        get: operations["EventsController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/gc/orphans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Dry run of the garbage collector
         * @description Lists, per Up host, the orphan volumes and Kelpie domains a run would consider, their age and whether they are past the grace period (`due`). Removes nothing.
         */
        get: operations["GcController_orphans"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/gc/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the garbage collector now
         * @description Removes the orphans past the grace period (one audit event each: gc.volume_removed, gc.domain_removed) and answers what it found and removed. 409 while a run is under way.
         */
        post: operations["GcController_runNow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DirectoryController_grants"];
        put?: never;
        post: operations["DirectoryController_createGrant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a grant; 409 when it would leave no enabled user who may manage users */
        delete: operations["DirectoryController_deleteGrant"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DirectoryController_groups"];
        put?: never;
        post: operations["DirectoryController_createGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a group with its grants (its members stay users)
         * @description 409 when it would leave no enabled user who may manage users.
         */
        delete: operations["DirectoryController_deleteGroup"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["DirectoryController_addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{id}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member: the group's grants stop applying to them at once
         * @description 409 when it would leave no enabled user who may manage users.
         */
        delete: operations["DirectoryController_removeMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HealthController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HostsController_list"];
        put?: never;
        /**
         * Enroll a host over SSH, or register one whose agent is deployed by other means
         * @description With `password` or `privateKey` the engine enrolls the host: without `expectedHostKeyFingerprint` it only reads the host key and answers 409 `host_key_unconfirmed` with the fingerprint (details[0].reason) for the admin to check and send back; with it, 202 and a `host.enroll` task: log in (a different key is refused), preflight (OS, CPU, /dev/kvm, libvirt, memory/disk, virt-host-validate, clock, Node.js, network), install and start the agent, then wait for its first heartbeat (host Up). Each step is a task step with its result; a failed one says what to fix and leaves nothing installed. The SSH password, private key and passphrase are used for this enrollment only: they are never stored, logged or written on the task, and are dropped when it ends. Without credentials: 201 and the host is registered, `installing` until its agent connects.
         */
        post: operations["HostsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["HostsController_get"];
        put?: never;
        post?: never;
        /**
         * Remove a host (not Up)
         * @description An enrolled host's agent is told to stop and remove itself first; the host's credentials are revoked.
         */
        delete: operations["HostsController_remove"];
        options?: never;
        head?: never;
        /**
         * Change a host
         * @description Address and libvirt URI change only in maintenance (409 otherwise); an enrolled host at a new address must offer its pinned SSH key there.
         */
        patch: operations["HostsController_update"];
        trace?: never;
    };
    "/api/v1/hosts/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring a host out of maintenance (back to Up) */
        post: operations["MaintenanceController_activate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/confirm-rebooted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm host has been rebooted (manual fence)
         * @description For a `non_responsive` host without power management: the admin states that the host is really off or was rebooted, so nothing it ran still runs. Its running VMs become `down` with the reason and are detached from it; the highly available ones are started on other hosts by HA priority (higher first), each by a `vm.start` task with the same correlation id. WARNING: confirming a host that still runs its VMs starts them twice and can corrupt their disks. 202 with a `host.confirm-rebooted` task (result: down, restarted, notRestarted); 409 unless the host is non-responsive.
         */
        post: operations["HaController_confirmRebooted"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue the credentials file of a host whose agent is deployed by other means (shown once)
         * @description For a host registered without SSH credentials (e.g. the Debian package): the answer is the agent's `/etc/kelpie/credentials.json` — its own Redis user, the engine's command key, a TLS certificate and key, and the host configuration the package applies (the datacenter's lockspace, the engine's soft-fence key line). The password and the key are in this answer only. A host enrolled over SSH is a 409 (reinstall renews its credentials); a host that has credentials already needs `replace: true` (the agent using them is cut off).
         */
        post: operations["HostCredentialsController_issue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/enroll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reinstall (upgrade) the agent of a host over SSH, or enroll a registered host
         * @description Same steps as an enrollment, against the pinned host key. Running VMs are not touched: only the agent restarts. The SSH password, private key and passphrase are used for this enrollment only: they are never stored, logged or written on the task, and are dropped when it ends.
         */
        post: operations["HostsController_reinstall"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/maintenance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put a host into maintenance
         * @description The host becomes `preparing_for_maintenance` (no new VMs), its running VMs are live-migrated to the other hosts of the cluster (spread by free capacity), then it becomes `maintenance`. 202 with a `host.maintenance` task; VMs that cannot leave are listed in the task error and the host keeps `preparing_for_maintenance` with the reason.
         */
        post: operations["MaintenanceController_enter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/maintenance/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What entering maintenance would do now: each running VM → its target, or why it cannot move
         * @description Runs the evacuation's checks VM by VM (with the memory of earlier VMs reserved, as the evacuation does) without starting anything. Targets are only Up hosts: never one in or preparing for maintenance, non-operational or being evacuated. Stopped VMs are listed apart: they are not migrated and start on another host of the cluster when started. A running VM without a target would keep the host `preparing_for_maintenance`; `choices` are what `POST …/maintenance/resolve` then accepts for it.
         */
        get: operations["MaintenanceController_plan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/maintenance/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide about a VM that keeps a host preparing for maintenance
         * @description For a host `preparing_for_maintenance` whose evacuation left a VM behind: shut it down, power it off or migrate it to `targetHostId`. The VM's own task is checked and started first (409/422 with nothing changed when it cannot), then 202 with a `host.maintenance` task that waits for it, migrates any other running VM away and puts the host in `maintenance`. Cancel with `POST /hosts/{id}/activate`.
         */
        post: operations["MaintenanceController_resolve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/network-setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set the networks a host carries, safely
         * @description The whole wanted state: each network on a NIC (a bridge per network, the network’s MTU, a VLAN device for tagged networks), with the bridge’s addresses for non-VM networks; networks not listed are removed. The agent applies it as a whole and keeps it only if the engine reaches it again within `connectivityTimeoutSeconds` (default 60); otherwise it restores the previous configuration by itself. 202 with a `host.network_setup` task that ends `succeeded` (applied and persisted on the host) or `failed` with what happened (rolled back, refused, or failed and restored).
         */
        post: operations["HostNetworksController_setup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/nics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A host’s NICs, bridges and networks
         * @description As the host’s agent last reported them (pushed on every link or address change): NICs with MAC, link state, speed, MTU, addresses and driver; bridges with their ports and the logical network each carries; the cluster’s networks the host lacks; the outcome of the latest network setup.
         */
        get: operations["HostNetworksController_nics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/power-management": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A host's power management (the password is never returned: `passwordSet`) */
        get: operations["PowerManagementController_get"];
        /**
         * Set a host's power management (its BMC)
         * @description With power management a non-responsive host can be fenced (powered off through its BMC, then on) and its highly available VMs restarted elsewhere without an admin. The password is stored encrypted; omit it to keep the stored one. Test the settings with `POST …/power-management/test`.
         */
        put: operations["PowerManagementController_put"];
        post?: never;
        delete: operations["PowerManagementController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/power-management/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test power management: ask the BMC for the power status
         * @description Runs the fence agent's status query (at most a minute). 422 when the BMC cannot be used, naming the setting to check (password refused, unknown user, no answer at the address and port).
         */
        post: operations["PowerManagementController_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/hosts/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StatsController_host"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["MetricsController_scrape"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/migrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List migrations (newest first), with their latest progress sample */
        get: operations["VmMigrationController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/migrations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a migration (its id is the id of its vm.migrate task) */
        get: operations["VmMigrationController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/networks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["NetworksController_list"];
        put?: never;
        post: operations["NetworksController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/networks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["NetworksController_get"];
        put?: never;
        post?: never;
        delete: operations["NetworksController_remove"];
        options?: never;
        head?: never;
        patch: operations["NetworksController_update"];
        trace?: never;
    };
    "/api/v1/networks/{networkId}/vnic-profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** vNIC profiles of a network (the default one first) */
        get: operations["VnicProfilesController_list"];
        put?: never;
        /** Create a vNIC profile (QoS applied with libvirt <bandwidth> to the NICs attached to it) */
        post: operations["VnicProfilesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/networks/{networkId}/vnic-profiles/{profileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["VnicProfilesController_get"];
        put?: never;
        post?: never;
        /** Delete a profile no NIC uses (409 naming the NICs and VMs otherwise) */
        delete: operations["VnicProfilesController_remove"];
        options?: never;
        head?: never;
        /** Change a profile; its NICs get the new QoS when their VM next starts (or is redefined) */
        patch: operations["VnicProfilesController_update"];
        trace?: never;
    };
    "/api/v1/nics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["NicsController_list"];
        put?: never;
        post: operations["NicsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/nics/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["NicsController_get"];
        put?: never;
        post?: never;
        delete: operations["NicsController_remove"];
        options?: never;
        head?: never;
        patch: operations["NicsController_update"];
        trace?: never;
    };
    "/api/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DirectoryController_roles"];
        put?: never;
        post: operations["DirectoryController_createRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/roles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["DirectoryController_deleteRole"];
        options?: never;
        head?: never;
        /**
         * Rename a custom role or replace its permissions (its grants carry them at once)
         * @description 409 for a built-in role, a name already taken, a role named by the OpenID Connect group mapping, or when it would leave no enabled user who may manage users; 400 names an unknown permission.
         */
        patch: operations["DirectoryController_updateRole"];
        trace?: never;
    };
    "/api/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Schedules of objects the caller may see; active ones first by next run */
        get: operations["SchedulesController_list"];
        put?: never;
        /**
         * Schedule a migration, maintenance, power action or snapshot
         * @description At `runAt` (once) or on `cron` in `timezone`. Each run launches the action as its route would (all its checks apply then); a refusal is recorded as the run’s outcome. The permission is the action’s own on its object (vm.migrate, host.manage, vm.power, vm.snapshot), checked here and again at every run against the creator’s grants at that time.
         */
        post: operations["SchedulesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A schedule with its runs (due time, task, outcome), newest first */
        get: operations["SchedulesController_get"];
        put?: never;
        post?: never;
        /**
         * Cancel: it never runs again (a run under way keeps its task)
         * @description The permission is the action’s own on its object (vm.migrate, host.manage, vm.power, vm.snapshot), checked here and again at every run against the creator’s grants at that time.
         */
        delete: operations["SchedulesController_cancel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["SnapshotsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/snapshots/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["SnapshotsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stats/fleet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StatsController_fleet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StorageDomainsController_list"];
        put?: never;
        post: operations["StorageDomainsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StorageDomainsController_get"];
        put?: never;
        post?: never;
        delete: operations["StorageDomainsController_remove"];
        options?: never;
        head?: never;
        patch: operations["StorageDomainsController_update"];
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Activate a storage domain on every host of its datacenter
         * @description Every Up host of the datacenter defines, starts and autostarts the libvirt pool; hosts that come up later get it automatically. 202 with a `storage_domain.activate` task whose steps are the hosts. The domain becomes `active`, or `degraded` naming the hosts that failed; when no host can use it the task fails and the domain keeps its status.
         */
        post: operations["StorageLifecycleController_activate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/attach": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Attach a detached storage domain to its datacenter
         * @description detached → inactive. 202 with a `storage_domain.attach` task.
         */
        post: operations["StorageLifecycleController_attach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/destroy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete a storage domain and destroy the disks on it
         * @description What `DELETE` refuses while disks live on the domain: every volume is deleted on the hosts, then the disk records and the domain. Refused (409) while the domain is in use or while any of its disks is attached to a VM (naming them). 202 with a `storage_domain.destroy` task.
         */
        post: operations["StorageLifecycleController_destroy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/detach": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Detach an inactive storage domain from its datacenter
         * @description inactive or maintenance → detached. 202 with a `storage_domain.detach` task.
         */
        post: operations["StorageLifecycleController_detach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/hosts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Each host's view of the storage domain
         * @description Pool status, capacity and free bytes, the last check and its error, as the agents report them.
         */
        get: operations["StorageLifecycleController_hosts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The domain's images (ISO library and uploads under way), by name */
        get: operations["ImagesController_list"];
        put?: never;
        /**
         * Start an upload into the domain: an ISO for its library, or a disk image
         * @description The domain must be active and file-based (dir, local, nfs). Then PATCH the bytes to `uploadUrl` (resumable: HEAD tells the offset). The last byte runs the checks; a refused image is deleted.
         */
        post: operations["ImagesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/images/{imageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One image */
        get: operations["ImagesController_get"];
        put?: never;
        post?: never;
        /** Delete an image and its volume (409 while a VM’s CD-ROM holds it) */
        delete: operations["ImagesController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/images/{imageId}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Where an upload stands (tus): Upload-Offset and Upload-Length headers
         * @description Waits for an upload under way in this engine to record what the host wrote.
         */
        head: operations["ImagesController_offset"];
        /**
         * Append bytes to an upload from Upload-Offset (tus)
         * @description The body streams to a host of the domain (never held by the engine). 204 with the new Upload-Offset; a dropped connection keeps what the host wrote (ask HEAD, send the rest). 409 when the offset is not the upload's. With the last byte: 204 once the image passed its checks, 422 (image deleted) when it names a backing or data file, its content is not the declared format, or the checksum differs.
         */
        patch: operations["ImagesController_append"];
        trace?: never;
    };
    "/api/v1/storage-domains/{id}/maintenance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate a storage domain (maintenance)
         * @description Refused (409, naming them) while VMs that are not down have disks on it. Every host stops and undefines the pool (the files stay). 202 with a `storage_domain.maintenance` task.
         */
        post: operations["StorageLifecycleController_maintenance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tasks (newest first by default) */
        get: operations["TasksController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a task
         * @description With `wait`, answers as soon as the task is final or after `wait` ms (at most 60000).
         */
        get: operations["TasksController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a running task
         * @description Only for cancellable task types (e.g. `vm.migrate`): asks the work to stop; the task becomes `cancelled` once it really stopped (poll it or wait with `?wait=`). 409 when final or not cancellable.
         */
        post: operations["TasksController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/templates/{id}/vms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["TemplatesController_createVm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["DirectoryController_users"];
        put?: never;
        post: operations["DirectoryController_createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a user with their grants, sessions and tokens; 409 for yourself or the last administrator */
        delete: operations["DirectoryController_deleteUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a user: their sessions end; 409 for yourself or the last administrator */
        post: operations["DirectoryController_disable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["DirectoryController_enable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a user's password (an administrator's reset): their sessions end */
        post: operations["DirectoryController_resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["VmsController_list"];
        put?: never;
        /**
         * Create a VM
         * @description Without hostId/disks/nics/boot: records the definition only (201, touches no host). With any of them: records the VM, its disks and NICs and answers 202 with the `vm.create` task, which places the VM (scheduler or the given host), creates the volumes and defines the domain on that host.
         */
        post: operations["VmsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["VmsController_get"];
        put?: never;
        post?: never;
        /** @description A VM defined on a host: 202 + `vm.delete` task (power off with force=true, undefine, delete the volumes with withDisks=true, then the records). A VM on no host may still run on a host of its cluster (a move never recorded): 202 + `vm.delete` task that asks every host of the cluster first and deletes it where found, as above (`result.foundOn`); found nowhere, only the records go. A host that could not be asked fails the task naming it, unless force=true (the records go, `result.notAsked` names it). Deleted at once (204) when no host of the cluster ever connected. */
        delete: operations["VmsController_remove"];
        options?: never;
        head?: never;
        /** @description Persistent on the host (the definition) and, on a running VM, memory live up to maxMemoryMib; other hardware changes of a running VM wait for its next start (`pendingRestart`). */
        patch: operations["VmsController_update"];
        trace?: never;
    };
    "/api/v1/vms/{id}/cdrom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Insert an ISO into the CD-ROM drive (hdc) or eject it (isoPath null) */
        post: operations["VmLifecycleController_changeCdrom"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/clone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["ClonesController_clone"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/cloud-init": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["CloudInitController_attach"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** One-time ticket for the VM’s graphical console (noVNC over the console WebSocket) */
        post: operations["ConsoleController_vnc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/disks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a new disk (volume created, attached live + persistent when the VM runs) */
        post: operations["VmLifecycleController_attachDisk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/disks/{diskId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Detach a disk (live + persistent); deleteVolume=true also deletes it */
        delete: operations["VmLifecycleController_detachDisk"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/ha": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The VM's high availability: state and last restart
         * @description What HA does for the VM now (`off`, `protected`, `awaiting-fence`, `restart-failed`, `down`, with the reason) and its last HA restart — on another host after a fence, or in place after a crash — with the last failed or given-up restart when that is newer. Read from the audit log.
         */
        get: operations["VmHaController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/migrate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Live-migrate a running VM
         * @description Checks everything first (409/422 with the reason, nothing sent to a host), then answers 202 with a `vm.migrate` task. Without `targetHostId` the scheduler picks a host (the reason is on the task). Policy fields override the cluster migrationPolicy.
         */
        post: operations["VmMigrationController_migrate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/migrate/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel the VM's running migration
         * @description Aborts the job on the source host; the VM keeps running there and the task ends `cancelled`.
         */
        post: operations["VmMigrationController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/migrate/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the VM could migrate: every other host of its cluster with the pre-check result
         * @description Runs the checks of `POST /vms/{id}/migrate` host by host without starting anything: `eligible` hosts pass them all, the others carry `problems` (readable reasons); `recommended` marks the scheduler's choice. VM-level problems (not running, snapshots, passthrough device, unsafe cache) are in `vmProblems` and make every host ineligible.
         */
        get: operations["VmMigrationController_targets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/nics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a NIC (attached live + persistent when the VM runs) */
        post: operations["VmLifecycleController_attachNic"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/nics/{nicId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a NIC (detached live + persistent) */
        delete: operations["VmLifecycleController_detachNic"];
        options?: never;
        head?: never;
        /**
         * Change a NIC: its vNIC profile/network (update-device) or its link (domif-setlink)
         * @description Live and persistent when the VM runs (the guest keeps its NIC and MAC; on OVS the port gets the new network's VLAN tag), persistent only when it is stopped, records only when it is on no host.
         */
        patch: operations["VmLifecycleController_updateNic"];
        trace?: never;
    };
    "/api/v1/vms/{id}/placement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the scheduler would place the VM, host by host
         * @description Runs the scheduler without placing anything: every host of the cluster (the current one left out when the VM runs) with the filter that refused it and why, or its score per weight of the cluster policy; `hostId` is the choice (null: no host fits, `summary` names each host's reason).
         */
        get: operations["SchedulingController_preview"];
        put?: never;
        /**
         * Where the VM would go with other memory or vCPUs ("what if")
         * @description Runs the scheduler without placing anything: every host of the cluster (the current one left out when the VM runs) with the filter that refused it and why, or its score per weight of the cluster policy; `hostId` is the choice (null: no host fits, `summary` names each host's reason).
         */
        post: operations["SchedulingController_whatIf"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/poweroff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Power off at once (virsh destroy)
         * @description Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt reports the VM's new status.
         */
        post: operations["VmLifecycleController_poweroff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/reboot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Graceful reboot
         * @description Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt reports the VM's new status.
         */
        post: operations["VmLifecycleController_reboot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hard reset
         * @description Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt reports the VM's new status.
         */
        post: operations["VmLifecycleController_reset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused VM
         * @description Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt reports the VM's new status.
         */
        post: operations["VmLifecycleController_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/serial-console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** One-time ticket for the VM’s serial console (raw bytes over the console WebSocket) */
        post: operations["ConsoleController_serial"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/shutdown": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Graceful shutdown (ACPI); optional power-off after the timeout
         * @description Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt reports the VM's new status.
         */
        post: operations["VmLifecycleController_shutdown"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["VmSnapshotsController_tree"];
        put?: never;
        post: operations["VmSnapshotsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/snapshots/{sid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["VmSnapshotsController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/snapshots/{sid}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["VmSnapshotsController_revert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start (a VM on no host is placed and defined first)
         * @description Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt reports the VM's new status.
         */
        post: operations["VmLifecycleController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["StatsController_vm"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause (virsh suspend)
         * @description Refused with 409 (invalid_state, the reason in `details`) when the VM status does not allow it, 503 when its host is not up; nothing is sent to the host then. The task succeeds only once libvirt reports the VM's new status.
         */
        post: operations["VmLifecycleController_suspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vms/{id}/template": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["TemplatesController_makeTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AddMemberDto: {
            /** Format: uuid */
            userId: string;
        };
        AffinityGroup: {
            /** Format: uuid */
            clusterId: string;
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** @description true: a filter (hosts that break it are refused); false: a weight */
            enforcing: boolean;
            hostIds: string[];
            /** Format: uuid */
            id: string;
            /** @example prod-1 */
            name: string;
            /** @enum {string} */
            polarity: "positive" | "negative";
            /** Format: date-time */
            updatedAt: string;
            /** @description VMs of the cluster */
            vmIds: string[];
        };
        AffinityViolation: {
            enforcing: boolean;
            /** Format: uuid */
            groupId: string;
            groupName: string;
            /** Format: uuid */
            hostId: string;
            hostName: string;
            reason: string;
            /** Format: uuid */
            vmId: string;
            vmName: string;
        };
        ApiError: {
            /** @enum {string} */
            code: "validation_failed" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "invalid_state" | "has_children" | "unprocessable" | "rate_limited" | "host_unavailable" | "host_key_unconfirmed" | "database_unavailable" | "identity_provider_unavailable" | "timeout" | "internal";
            details?: components["schemas"]["ApiErrorDetail"][];
            message: string;
        };
        ApiErrorDetail: {
            /** @description Offending input field (validation) or constraint. */
            field?: string;
            reason: string;
            /** @description Object blocking the action or not found. */
            ref?: components["schemas"]["ApiErrorRef"];
        };
        ApiErrorRef: {
            id: string;
            name?: string;
            type: string;
        };
        ApiToken: {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            scope: "read-only" | "roles";
        };
        AttachNetworkDto: {
            /**
             * @default required
             * @enum {string}
             */
            attachment?: "required" | "optional";
            /** Format: uuid */
            networkId: string;
        };
        AttachVmDiskDto: {
            /**
             * @description Boot from this disk (a new VM: default the first disk).
             * @default false
             */
            bootable?: boolean;
            /**
             * @default virtio
             * @enum {string}
             */
            bus?: "virtio" | "sata" | "scsi" | "ide";
            /**
             * @default none
             * @enum {string}
             */
            cache?: "none" | "writethrough" | "writeback" | "directsync" | "unsafe";
            /**
             * @default qcow2
             * @enum {string}
             */
            format?: "qcow2" | "raw";
            /** @example prod-1 */
            name?: string;
            /** @description Virtual size in GiB (sparse volume). */
            sizeGiB: number;
            /** Format: uuid */
            storageDomainId: string;
        };
        AttachVmNicDto: {
            /**
             * @description Generated when absent.
             * @example 52:54:00:12:34:56
             */
            mac?: string;
            /**
             * @default virtio
             * @enum {string}
             */
            model?: "virtio" | "e1000" | "rtl8139";
            /** @example prod-1 */
            name?: string;
            /**
             * Format: uuid
             * @description A network of the cluster: the NIC gets the network's default profile (or give profileId).
             */
            networkId?: string;
            /**
             * Format: uuid
             * @description A vNIC profile of a network of the cluster.
             */
            profileId?: string;
        };
        AuditActor: {
            sourceAddress: string | null;
            /** Format: uuid */
            tokenId: string | null;
            /** Format: uuid */
            userId: string;
            username: string;
        };
        AuditEvent: {
            actor: components["schemas"]["AuditActor"] | null;
            correlationId: string | null;
            /** Format: uuid */
            id: string;
            message: string;
            /** @description Objects the event concerns, main one first. */
            refs: components["schemas"]["ObjectRef"][];
            /** @enum {string} */
            severity: "info" | "warning" | "error";
            /** Format: date-time */
            time: string;
            /** @example vm.created */
            type: string;
        };
        BalanceHostState: {
            /** @description 1-minute load per CPU in percent */
            cpuPercent: number | null;
            /** @description Why an excluded host is left alone: not up, or involved in a maintenance (being evacuated, or still to be maintained by a running rolling maintenance) */
            excludedBecause?: string;
            /** Format: uuid */
            hostId: string;
            hostName: string;
            /** @description Committed memory (VMs defined there) in percent of the host memory */
            memoryPercent: number;
            runningVms: number;
            /** @enum {string} */
            state: "over" | "under" | "ok" | "excluded";
        };
        BalanceMove: {
            /** Format: uuid */
            fromHostId: string;
            fromHostName: string;
            /** @description The threshold broken, then why this host (the scheduler summary) */
            reason: string;
            /** Format: uuid */
            toHostId: string;
            toHostName: string;
            /** Format: uuid */
            vmId: string;
            vmName: string;
        };
        BalancePlan: {
            balancingEnabled: boolean;
            /** Format: uuid */
            clusterId: string;
            /** @description VMs left alone: they migrated within the cool-down */
            coolingDown: string[];
            hosts: components["schemas"]["BalanceHostState"][];
            /** @description The next batch, in the order it starts */
            moves: components["schemas"]["BalanceMove"][];
            /** @enum {string} */
            policy: "evenly_distributed" | "power_saving" | "vm_count" | "none";
            /** @description Power saving: hosts without running VMs after the moves (the first host stays on) */
            powerDownCandidates: components["schemas"]["PowerDownCandidate"][];
            summary: string;
            /** @description Every host is within the policy's thresholds */
            withinThresholds: boolean;
        };
        ChangeCdromDto: {
            /**
             * Format: uuid
             * @description An ISO of a domain's library, by id (instead of isoPath).
             */
            isoId?: string;
            /** @description ISO file inside a storage domain of the datacenter; null ejects. Or give isoId. */
            isoPath?: string | null;
        };
        ChangePasswordDto: {
            currentPassword: string;
            newPassword: string;
        };
        CloneVmDto: {
            /** @example prod-1 */
            name: string;
        };
        CloudInitDto: {
            /** @description local-hostname (default: the VM name made host-safe) */
            hostname?: string;
            /** @description instance-id (default: derived from the VM id and the content) */
            instanceId?: string;
            /**
             * @example [
             *       "qemu-guest-agent"
             *     ]
             */
            packages?: string[];
            /** @description commands run once at first boot (as /bin/sh lines) */
            runcmd?: string[];
            /** @description keys for the image's default user */
            sshAuthorizedKeys?: string[];
            /**
             * Format: uuid
             * @description Where the ISO goes (default: the VM's first disk's)
             */
            storageDomainId?: string;
            /** @description A complete `#cloud-config` YAML document instead of the fields above (max 64 KiB) */
            userData?: string;
            users?: components["schemas"]["CloudInitUserDto"][];
        };
        CloudInitPreviewDto: {
            /** @description The user-data document the seed ISO would carry */
            userData: string;
        };
        CloudInitUserDto: {
            groups?: string[];
            /** @example ops */
            name: string;
            /** @description crypt(3) hash ($6$… from `mkpasswd -m sha-512`), never a plain password */
            passwordHash?: string;
            /** @example /bin/bash */
            shell?: string;
            /** @description OpenSSH public keys */
            sshAuthorizedKeys?: string[];
            /** @description passwordless sudo */
            sudo?: boolean;
        };
        Cluster: {
            /** @description Periodic balancing migrates running VMs to bring the cluster within its policy's thresholds. */
            balancingEnabled: boolean;
            /** @example 1 */
            compatibilityLevel: string;
            /** @example Skylake-Client-IBRS */
            cpuModel: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            datacenterId: string;
            /**
             * @description Firmware of new VMs that do not name one.
             * @enum {string}
             */
            defaultFirmware: "bios" | "uefi";
            /**
             * @description Machine type of new VMs that do not name one.
             * @enum {string}
             */
            defaultMachineType: "pc" | "q35";
            description: string;
            /** Format: uuid */
            id: string;
            /** @description Live migrations between the hosts of the cluster are encrypted (QEMU TLS with the engine-issued host certificates); false: plain TCP. */
            migrationEncrypted: boolean;
            migrationPolicy: components["schemas"]["MigrationPolicy"];
            name: string;
            /** @enum {string} */
            schedulingPolicy: "evenly_distributed" | "power_saving" | "vm_count" | "none";
            schedulingThresholds: components["schemas"]["SchedulingThresholds"];
            /**
             * @description Linux bridges or Open vSwitch on its hosts.
             * @enum {string}
             */
            switchType: "linux_bridge" | "ovs";
            /** Format: date-time */
            updatedAt: string;
        };
        ClusterNetwork: {
            /** @enum {string} */
            attachment: "required" | "optional";
            /** Format: uuid */
            clusterId: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            networkId: string;
        };
        CommandKeyResponse: {
            /** @description The engine's Ed25519 public key: the agent runs only commands it signed. */
            publicKeyPem: string;
        };
        ConsoleTicket: {
            /**
             * Format: date-time
             * @description The ticket is refused after this time (≤ 60 s).
             */
            expiresAt: string;
            /** @enum {string} */
            kind: "vnc" | "serial";
            /** @description Never set: the engine authenticates to the VNC server itself. */
            password?: string;
            /** @description 256-bit random (base64url), single use. */
            ticket: string;
            /** Format: uuid */
            vmId: string;
            /** @description WebSocket path to open, ticket included. */
            wsPath: string;
        };
        CreateAffinityGroupDto: {
            /** @default  */
            description?: string;
            /** @description true: a filter (hosts that break it are refused); false: a weight */
            enforcing: boolean;
            /** @description Hosts of the cluster: positive pins the VMs to them, negative keeps the VMs off them. A group with hosts is a VM↔host rule only (its VMs are not also kept together or apart). */
            hostIds?: string[] | null;
            /** @example prod-1 */
            name: string;
            /** @enum {string} */
            polarity: "positive" | "negative";
            /** @description VMs of the cluster. A create without them (absent or null) makes an empty group, filled later; a change with them replaces the members, without them keeps them */
            vmIds?: string[] | null;
        };
        CreateClusterDto: {
            /**
             * @description Periodic balancing: the engine live-migrates running VMs, a batch at a time, to bring the cluster within its policy's thresholds.
             * @default false
             */
            balancingEnabled?: boolean;
            /** @example 1 */
            compatibilityLevel?: string;
            /** @example Skylake-Client-IBRS */
            cpuModel?: string | null;
            /** Format: uuid */
            datacenterId: string;
            /**
             * @description Firmware of new VMs that do not name one (existing VMs keep theirs).
             * @default bios
             * @enum {string}
             */
            defaultFirmware?: "bios" | "uefi";
            /**
             * @description Machine type of new VMs that do not name one (existing VMs keep theirs).
             * @default pc
             * @enum {string}
             */
            defaultMachineType?: "pc" | "q35";
            /** @default  */
            description?: string;
            /**
             * @description Encrypt live migrations (memory and disks) with TLS between the hosts (engine-issued certificates). Turn off only on a trusted migration network: it costs CPU and time.
             * @default true
             */
            migrationEncrypted?: boolean;
            migrationPolicy?: components["schemas"]["MigrationPolicyDto"];
            /** @example prod-1 */
            name: string;
            /**
             * @default evenly_distributed
             * @enum {string}
             */
            schedulingPolicy?: "evenly_distributed" | "power_saving" | "vm_count" | "none";
            schedulingThresholds?: components["schemas"]["SchedulingThresholdsDto"];
            /**
             * @description How hosts carry the networks: one Linux bridge per network, or Open vSwitch.
             * @default linux_bridge
             * @enum {string}
             */
            switchType?: "linux_bridge" | "ovs";
        };
        CreatedApiTokenResponse: {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            scope: "read-only" | "roles";
            /** @description The token itself (`kelpie_<id>_<secret>`); never shown again. */
            token: string;
        };
        CreateDataCenterDto: {
            /** @default  */
            description?: string;
            /** @example prod-1 */
            name: string;
        };
        CreateDiskDto: {
            /**
             * @description Boot from this disk (a new VM: default the first disk).
             * @default false
             */
            bootable?: boolean;
            /**
             * @default virtio
             * @enum {string}
             */
            bus?: "virtio" | "sata" | "scsi" | "ide";
            /**
             * @default none
             * @enum {string}
             */
            cache?: "none" | "writethrough" | "writeback" | "directsync" | "unsafe";
            /** @default  */
            description?: string;
            /**
             * @default qcow2
             * @enum {string}
             */
            format?: "qcow2" | "raw";
            /** @example prod-1 */
            name: string;
            /** Format: uuid */
            storageDomainId: string;
            /**
             * @description Default: next free for the bus.
             * @example vdb
             */
            targetDev?: string | null;
            /** @example 10737418240 */
            virtualSizeBytes: number;
            /**
             * Format: uuid
             * @description Attach to this VM (null: detach).
             */
            vmId?: string | null;
        };
        CreateFromTemplateDto: {
            /**
             * @description full: independent copy of the disks; thin: qcow2 overlays backed by the template disks
             * @enum {string}
             */
            mode: "full" | "thin";
            /** @example prod-1 */
            name: string;
        };
        CreateGrantDto: {
            /**
             * Format: uuid
             * @description null for the system
             */
            objectId?: string | null;
            /** @enum {string} */
            objectType: "system" | "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm";
            /** Format: uuid */
            principalId: string;
            /** @enum {string} */
            principalType: "user" | "group";
            /** @example VmOperator */
            role: string;
        };
        CreateGroupDto: {
            name: string;
        };
        CreateImageDto: {
            /**
             * @description kind=disk: the declared format (checked against the content).
             * @enum {string}
             */
            format?: "raw" | "qcow2";
            /**
             * @description iso: a CD/DVD image for the ISO library; disk: becomes a disk.
             * @enum {string}
             */
            kind: "iso" | "disk";
            /**
             * @description Unique in the domain; letters, digits, space, `_.+-`.
             * @example debian-12-netinst.iso
             */
            name: string;
            /** @description SHA-256 (hex) of the file: the upload is refused when the bytes differ. */
            sha256?: string;
            /** @description Exact byte length of the file to upload. */
            sizeBytes: number;
        };
        CreateNetworkDto: {
            /**
             * @description Linux bridge on every host (1-15 characters).
             * @example br-prod
             */
            bridge: string;
            /** Format: uuid */
            datacenterId: string;
            /** @default  */
            description?: string;
            /** @default 1500 */
            mtu?: number;
            /** @example prod-1 */
            name: string;
            vlanId?: number | null;
            /** @default true */
            vmNetwork?: boolean;
        };
        CreateNicDto: {
            /** @default  */
            description?: string;
            /**
             * @description Unicast MAC; default: a free one of the datacenter's MAC pool.
             * @example 52:54:00:12:34:56
             */
            mac?: string;
            /**
             * @default virtio
             * @enum {string}
             */
            model?: "virtio" | "e1000" | "rtl8139";
            /**
             * @description Default: nic1, nic2, …
             * @example prod-1
             */
            name?: string;
            /**
             * Format: uuid
             * @description A VM network of the VM's datacenter: the NIC gets its default profile (or give profileId).
             */
            networkId?: string;
            /**
             * Format: uuid
             * @description A vNIC profile of a VM network of the datacenter.
             */
            profileId?: string;
            /** Format: uuid */
            vmId: string;
        };
        CreateRoleDto: {
            name: string;
            permissions: ("view" | "datacenter.manage" | "cluster.manage" | "host.manage" | "network.manage" | "storage.manage" | "vm.create" | "vm.edit" | "vm.delete" | "vm.power" | "vm.migrate" | "vm.console" | "vm.snapshot" | "template.manage" | "user.manage" | "system.manage" | "metrics.read")[];
        };
        CreateScheduleDto: {
            /** @enum {string} */
            action: "vm.migrate" | "host.maintenance" | "vm.start" | "vm.shutdown" | "vm.poweroff" | "vm.reboot" | "vm.snapshot";
            /**
             * @description Recurring: 5 fields (minute first) or 6 (second first). Exactly one of runAt and cron.
             * @example 0 2 * * 6
             */
            cron?: string;
            /**
             * Format: uuid
             * @description The host of host.maintenance.
             */
            hostId?: string;
            /** @description vm.migrate: the migrate body. */
            migrate?: components["schemas"]["MigrateVmDto"];
            /** @example prod-1 */
            name?: string;
            /**
             * Format: date-time
             * @description One run at this time (in the future).
             */
            runAt?: string;
            /**
             * @description vm.snapshot: snapshots are named `<prefix>-<due time UTC, e.g. 20270101T020000Z>`.
             * @example prod-1
             */
            snapshotPrefix?: string;
            /**
             * @description IANA zone of `cron`.
             * @default UTC
             * @example Europe/Berlin
             */
            timezone?: string;
            /**
             * Format: uuid
             * @description The VM of a vm.* action.
             */
            vmId?: string;
        };
        CreateSnapshotDto: {
            /** @default  */
            description?: string;
            /** @example prod-1 */
            name: string;
            /**
             * @description internal: inside the qcow2 images (with memory for a running VM); external: disk-only overlays
             * @default internal
             * @enum {string}
             */
            type?: "internal" | "external";
            /**
             * @description Save the RAM too (internal snapshots of a running VM)
             * @default false
             */
            withMemory?: boolean;
        };
        CreateStorageDomainDto: {
            connection?: components["schemas"]["StorageConnectionDto"];
            /** Format: uuid */
            datacenterId: string;
            /** @default  */
            description?: string;
            /** @example prod-1 */
            name: string;
            /**
             * @description Where hosts find the volumes (mount point or directory). Not for iscsi and rbd domains, whose volumes are LUNs or RBD images.
             * @example /var/lib/kelpie/images
             */
            path?: string;
            /** @enum {string} */
            type: "dir" | "local" | "nfs" | "iscsi" | "rbd" | "lvm";
        };
        CreateTokenDto: {
            /** @default 30 */
            expiresInDays?: number;
            /** @example backup script */
            name: string;
            /** @enum {string} */
            scope: "read-only" | "roles";
        };
        CreateUserDto: {
            displayName?: string;
            password: string;
            username: string;
        };
        CreateVmDiskDto: {
            /**
             * @description Boot from this disk (a new VM: default the first disk).
             * @default false
             */
            bootable?: boolean;
            /**
             * @default virtio
             * @enum {string}
             */
            bus?: "virtio" | "sata" | "scsi" | "ide";
            /**
             * @default none
             * @enum {string}
             */
            cache?: "none" | "writethrough" | "writeback" | "directsync" | "unsafe";
            /**
             * @default qcow2
             * @enum {string}
             */
            format?: "qcow2" | "raw";
            /** @example prod-1 */
            name?: string;
            /** @description Virtual size in GiB (sparse volume). */
            sizeGiB: number;
            /** Format: uuid */
            storageDomainId: string;
        };
        CreateVmDto: {
            /** @description Affinity groups of the VM's cluster it joins (400 naming an unknown one); the scheduler keeps their rules from its first placement on. 409 when the enforcing ones leave it no host of the cluster. Later changes go through the affinity groups. */
            affinityGroupIds?: string[];
            /** @description Default: {kind: "disk"}. Provisions. */
            boot?: components["schemas"]["VmBootDto"];
            /**
             * @description Devices tried in order when boot is disk (a cdrom boot tries the CD-ROM first).
             * @default [
             *       "hd"
             *     ]
             */
            bootOrder?: ("hd" | "cdrom" | "network")[];
            /** Format: uuid */
            clusterId: string;
            /** @default  */
            description?: string;
            /** @description New disks (volumes are created). Provisions. */
            disks?: components["schemas"]["CreateVmDiskDto"][];
            /**
             * @description Default: the template's (sourceTemplateId), else the cluster's defaultFirmware. uefi boots OVMF with a per-VM NVRAM on its host.
             * @enum {string}
             */
            firmware?: "bios" | "uefi";
            /** @default true */
            graphicsVnc?: boolean;
            /**
             * @description HA restart order after a host is fenced: higher first.
             * @default 50
             */
            haPriority?: number;
            /** @default false */
            highlyAvailable?: boolean;
            /**
             * Format: uuid
             * @description Place the VM on this host (validated); omitted: the scheduler picks one. Provisions.
             */
            hostId?: string;
            /** @default false */
            isTemplate?: boolean;
            /**
             * @description Default: the template's (sourceTemplateId), else the cluster's defaultMachineType. q35 puts the CD-ROM on SATA and has no IDE controller: an IDE disk on a q35 VM is refused (400).
             * @enum {string}
             */
            machineType?: "pc" | "q35";
            /** @description Default: memoryMib. */
            maxMemoryMib?: number;
            /** @default 1024 */
            memoryMib?: number;
            /** @example prod-1 */
            name: string;
            /** @description NICs on logical networks. Provisions. */
            nics?: components["schemas"]["CreateVmNicDto"][];
            /**
             * @default other
             * @example linux
             */
            osType?: string;
            /**
             * @description UEFI Secure Boot: needs firmware uefi and machineType q35. Default: the template's while the VM keeps its machine type and firmware, else false.
             * @default false
             */
            secureBoot?: boolean;
            /**
             * Format: uuid
             * @description Template this VM is made from (same datacenter).
             */
            sourceTemplateId?: string;
            /** @default 1 */
            vcpus?: number;
            /**
             * @description An i6300esb watchdog device and what QEMU does when the guest stops feeding it (reported as a vm.watchdog event); null or absent: no watchdog. Applied at the next start of a running VM.
             * @enum {string|null}
             */
            watchdogAction?: "reset" | "poweroff" | "pause" | "none" | null;
        };
        CreateVmNicDto: {
            /**
             * @description Generated when absent.
             * @example 52:54:00:12:34:56
             */
            mac?: string;
            /**
             * @default virtio
             * @enum {string}
             */
            model?: "virtio" | "e1000" | "rtl8139";
            /** @example prod-1 */
            name?: string;
            /**
             * Format: uuid
             * @description A network of the cluster: the NIC gets the network's default profile (or give profileId).
             */
            networkId?: string;
            /**
             * Format: uuid
             * @description A vNIC profile of a network of the cluster.
             */
            profileId?: string;
        };
        CreateVnicProfileDto: {
            /** @default  */
            description?: string;
            /** @description Traffic the guest receives; null = unlimited. */
            inbound?: components["schemas"]["NicQosLimitDto"] | null;
            /** @example prod-1 */
            name: string;
            /** @description Traffic the guest sends; null = unlimited. */
            outbound?: components["schemas"]["NicQosLimitDto"] | null;
            /**
             * @description Copy all of the network’s traffic to the VM NICs using this profile (an Open vSwitch mirror with the NIC’s port as output; on a Linux bridge tc mirred filters on the bridge’s other ports): such a NIC only listens. Applied at NIC start/plug.
             * @default false
             */
            portMirroring?: boolean;
        };
        CurrentUserResponse: {
            displayName: string | null;
            /** Format: uuid */
            id: string;
            systemPermissions: ("view" | "datacenter.manage" | "cluster.manage" | "host.manage" | "network.manage" | "storage.manage" | "vm.create" | "vm.edit" | "vm.delete" | "vm.power" | "vm.migrate" | "vm.console" | "vm.snapshot" | "template.manage" | "user.manage" | "system.manage" | "metrics.read")[];
            /** Format: uuid */
            tokenId: string | null;
            username: string;
            /**
             * @description How this request was authenticated.
             * @enum {string}
             */
            via: "session" | "token";
        };
        DataCenter: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: date-time */
            updatedAt: string;
        };
        DependencyHealthResponse: {
            /** @description Round trip of the probe in milliseconds, when it answered. */
            latencyMs?: number;
            /** @description Why it is down, in words a person can act on. */
            message?: string;
            /** @enum {string} */
            status: "up" | "down";
        };
        Disk: {
            /** @description The image the VM writes to when it is not volumePath: the overlay an external snapshot put on top of the volume (null: volumePath itself). Set by external snapshots, cleared when they are merged; a domain defined again uses it, so no write since the snapshot is lost. */
            activeImagePath: string | null;
            allocationBytes: number;
            bootable: boolean;
            /** @enum {string} */
            bus: "virtio" | "sata" | "scsi" | "ide";
            /** @enum {string} */
            cache: "none" | "writethrough" | "writeback" | "directsync" | "unsafe";
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** @enum {string} */
            format: "qcow2" | "raw";
            /** Format: uuid */
            id: string;
            name: string;
            /**
             * Format: date-time
             * @description When the volume was first created on storage. A provisioned disk whose volume is missing is never re-created empty: starting its VM fails instead.
             */
            provisionedAt: string | null;
            /** Format: uuid */
            storageDomainId: string;
            /** @example vda */
            targetDev: string | null;
            /** Format: date-time */
            updatedAt: string;
            virtualSizeBytes: number;
            /** Format: uuid */
            vmId: string | null;
            /** @description Volume path on the storage domain, chosen by the engine. */
            volumePath: string;
        };
        EnrollHostDto: {
            /**
             * @description DNS name or IP address the engine and the other hosts reach it by.
             * @example 192.0.2.10
             */
            address: string;
            /** Format: uuid */
            clusterId: string;
            /** @default  */
            description?: string;
            /**
             * @description The SSH host key fingerprint the admin confirmed (SHA256:…, as ssh-keygen -l prints it). Without it the engine answers 409 host_key_unconfirmed with the fingerprint the host offers, to be confirmed and sent back.
             * @example SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s
             */
            expectedHostKeyFingerprint?: string;
            /**
             * @description How the other hosts reach its libvirt (migrations). Required without SSH credentials; when enrolling over SSH the default is qemu+tls://<address>/system (libvirtd on port 16514 with the certificate the engine issues to the host; the agent turns the listener on).
             * @example qemu+ssh://root@192.0.2.10/system
             */
            libvirtUri?: string;
            /** @example prod-1 */
            name: string;
            /** @description Passphrase of an encrypted privateKey: used once, never stored. */
            passphrase?: string;
            /** @description Password of sshUser (or privateKey): used once, never stored. */
            password?: string;
            /** @description OpenSSH/PEM private key authorized for sshUser (or password): used once, never stored. */
            privateKey?: string;
            /** @default 22 */
            sshPort?: number;
            /**
             * @description Must be root (the agent drives libvirt as root).
             * @default root
             */
            sshUser?: string;
        };
        EvenlyThresholds: {
            cpuHighPercent: number;
            cpuLowPercent: number;
            memoryHighPercent: number;
            memoryLowPercent: number;
        };
        EvenlyThresholdsDto: {
            /** @description 1-minute load per CPU above which a host is overloaded */
            cpuHighPercent?: number;
            /** @description a host takes VMs only while its load per CPU is below this */
            cpuLowPercent?: number;
            /** @description committed memory share above which a host is overloaded */
            memoryHighPercent?: number;
            /** @description a host takes VMs only while its committed memory share is below this */
            memoryLowPercent?: number;
        };
        FleetStatsResponse: {
            bucketSeconds: number;
            /** @description Hosts that are Up now (the ones whose histories are read). */
            hosts: number;
            samples: components["schemas"]["FleetStatsSampleResponse"][];
        };
        FleetStatsSampleResponse: {
            /** Format: date-time */
            at: string;
            cpuPercent: number;
            /** @description Hosts with a sample in this bucket. */
            hosts: number;
            memFreeKiB: number;
            memTotalKiB: number;
        };
        Grant: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            objectId: string | null;
            /** @enum {string} */
            objectType: "system" | "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm";
            /** Format: uuid */
            principalId: string;
            /** @enum {string} */
            principalType: "user" | "group";
            /** Format: uuid */
            roleId: string;
        };
        Group: {
            /** Format: uuid */
            id: string;
            name: string;
        };
        GroupWithMembers: {
            /** Format: uuid */
            id: string;
            memberIds: string[];
            name: string;
        };
        HealthReportResponse: {
            postgres: components["schemas"]["DependencyHealthResponse"];
            redis: components["schemas"]["DependencyHealthResponse"];
            /** @enum {string} */
            status: "ok" | "degraded";
            version: string;
        };
        Host: {
            /** @example 192.0.2.10 */
            address: string;
            agentProtocolVersion: number | null;
            /** @description As reported by the agent (protocol HostCapabilities). */
            capabilities: Record<string, never> | null;
            /** Format: uuid */
            clusterId: string;
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastHeartbeatAt: string | null;
            /** @example qemu+ssh://root@192.0.2.10/system */
            libvirtUri: string;
            load: Record<string, never> | null;
            name: string;
            /** @description The pinned SSH host key (`<type> <base64>`): later connections refuse any other key. */
            sshHostKey: string | null;
            /** @example SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s */
            sshHostKeyFingerprint: string | null;
            /** @description SSH port enrollment used (null: registered without SSH). */
            sshPort: number | null;
            sshUser: string | null;
            /** @enum {string} */
            status: "installing" | "up" | "non_responsive" | "non_operational" | "preparing_for_maintenance" | "maintenance" | "error";
            statusReason: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        HostConfigResponse: {
            /**
             * @description The engine's line for root's authorized_keys: its SSH public key, restricted to the soft-fence script.
             * @example restrict,command="/opt/kelpie-agent/soft-fence.sh" ssh-ed25519 AAAA… kelpie-engine-soft-fence
             */
            engineAuthorizedKey: string;
            /**
             * @description `lock-manager.sh`'s argument: the datacenter's lockspace directory on its oldest shared directory storage domain, or `direct` (disk leases on the disk files themselves).
             * @example /srv/kelpie/shared/.kelpie-lockspace
             */
            lockspace: string;
        };
        HostCredentialsResponse: {
            commandKey: components["schemas"]["CommandKeyResponse"];
            /** @description What the package's host-configuration step applies before each agent start (ADR 0060): libvirt's lock manager and the engine's soft-fence key. Always in this answer; enrollment over SSH does both itself. */
            hostConfig?: components["schemas"]["HostConfigResponse"];
            /** Format: uuid */
            hostId: string;
            redis: components["schemas"]["RedisAccessResponse"];
            tls: components["schemas"]["HostTlsResponse"];
        };
        HostNetworkPresenceResponse: {
            /** @enum {string} */
            attachment: "required" | "optional";
            bridge: string;
            name: string;
            /** Format: uuid */
            networkId: string;
            /** @description Whether a bridge of that name exists on the host. */
            present: boolean;
        };
        HostNetworkSetupAttachmentDto: {
            /**
             * @description Addresses of the network’s bridge on this host.
             * @example [
             *       "192.0.2.10/24"
             *     ]
             */
            addresses?: string[];
            /** @example 192.0.2.1 */
            gateway?: string;
            /**
             * Format: uuid
             * @description A logical network of the host’s datacenter.
             */
            networkId: string;
            /**
             * @description The host NIC (or bond) that carries the network.
             * @example eth1
             */
            nic: string;
        };
        HostNetworkSetupBondDto: {
            /**
             * @description Open vSwitch bonds: LACP with the switch; balance-tcp needs active or passive.
             * @default off
             * @enum {string}
             */
            lacp?: "off" | "active" | "passive";
            /**
             * @description Open vSwitch bonds with LACP: PDUs every 30 s (slow) or every second (fast).
             * @default slow
             * @enum {string}
             */
            lacpRate?: "slow" | "fast";
            /**
             * @description Two to eight host NICs.
             * @example [
             *       "eth1",
             *       "eth2"
             *     ]
             */
            members: string[];
            /**
             * @description Open vSwitch: active-backup, balance-slb, balance-tcp (LACP). Linux: active-backup, balance-rr, balance-xor, 802.3ad, balance-tlb, balance-alb.
             * @enum {string}
             */
            mode: "active-backup" | "balance-slb" | "balance-tcp" | "balance-rr" | "balance-xor" | "802.3ad" | "balance-tlb" | "balance-alb";
            /**
             * @description The bond’s name; networks name it as their `nic`.
             * @example bond0
             */
            name: string;
        };
        HostNetworkSetupDto: {
            /** @description Every network the host carries; the others are removed. */
            attachments: components["schemas"]["HostNetworkSetupAttachmentDto"][];
            /** @description Every bond the host has; bonds of the previous setup not listed are removed. */
            bonds?: components["schemas"]["HostNetworkSetupBondDto"][];
            /** @default 60 */
            connectivityTimeoutSeconds?: number;
        };
        HostNetworkViewResponse: {
            /** @description The bonds the agent applied. */
            appliedBonds: {
                /** @enum {string} */
                lacp?: "off" | "active" | "passive";
                /** @enum {string} */
                lacpRate?: "slow" | "fast";
                members: string[];
                /** @enum {string} */
                mode: "active-backup" | "balance-slb" | "balance-tcp" | "balance-rr" | "balance-xor" | "802.3ad" | "balance-tlb" | "balance-alb";
                name: string;
                /**
                 * @default linux_bridge
                 * @enum {string}
                 */
                switchType: "linux_bridge" | "ovs";
            }[];
            /** @description What the agent applied. */
            attachments: {
                addresses?: string[];
                bridge: string;
                gateway?: string;
                mtu: number;
                network: string;
                nic: string;
                /**
                 * @default linux_bridge
                 * @enum {string}
                 */
                switchType: "linux_bridge" | "ovs";
                /** @default null */
                vlanId: number | null;
            }[];
            /** @description Bonds as the host has them. */
            bonds: {
                bridge: string | null;
                lacp?: string | null;
                lacpRate?: string | null;
                members: string[];
                mode: string | null;
                name: string;
                /** @enum {string} */
                switchType: "linux_bridge" | "ovs";
            }[];
            bridges: ({
                addresses: string[];
                managed: boolean;
                mtu: number;
                name: string;
                /** @default null */
                parent: string | null;
                ports: string[];
                state: string;
                /**
                 * @default linux_bridge
                 * @enum {string}
                 */
                switchType: "linux_bridge" | "ovs";
                /** @default null */
                vlanId: number | null;
            } & {
                /** Format: uuid */
                networkId: string | null;
                networkName: string | null;
            })[];
            clusterNetworks: components["schemas"]["HostNetworkPresenceResponse"][];
            /** Format: uuid */
            hostId: string;
            lastSetup: {
                /** Format: date-time */
                at: string;
                /** Format: uuid */
                checkpoint: string;
                /** @enum {string} */
                outcome: "applied" | "rolled_back" | "failed";
                reason?: string;
            } | null;
            nics: {
                addresses: string[];
                bridge: string | null;
                carrier: boolean;
                driver: string | null;
                mac: string | null;
                mtu: number;
                name: string;
                speedMbps: number | null;
                state: string;
            }[];
            /**
             * Format: date-time
             * @description null: the agent has not reported its networking yet.
             */
            reportedAt: string | null;
            /** @description Optional cluster networks the host lacks. */
            warnings: string[];
        };
        HostSchedulingVerdict: {
            chosen: boolean;
            filteredBy: components["schemas"]["SchedulingRefusal"] | null;
            /** Format: uuid */
            hostId: string;
            hostName: string;
            scores: components["schemas"]["SchedulingScore"][];
            total: number;
        };
        HostStatsSampleResponse: {
            /** Format: date-time */
            at: string;
            cpuPercent: number;
            ksmSharedPages?: number;
            memFreeKiB: number;
            memTotalKiB: number;
        };
        HostTlsResponse: {
            caCertPem: string;
            certPem: string;
            /** @description The host's TLS private key: shown in this answer only, never stored. */
            keyPem: string;
        };
        ImageResponse: {
            createdAt: string;
            createdBy: string;
            /** @enum {string} */
            format: "iso" | "raw" | "qcow2";
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "iso" | "disk";
            name: string;
            /** @description The volume on the hosts. */
            path: string | null;
            /** @description Bytes the host has written: the offset to resume from. */
            receivedBytes: number;
            /** @description SHA-256: announced while uploading, computed once ready. */
            sha256: string | null;
            /** @description Bytes of the file. */
            sizeBytes: number;
            /** @enum {string} */
            status: "uploading" | "ready";
            /** Format: uuid */
            storageDomainId: string;
            updatedAt: string;
            /** @description Where to PATCH the bytes (tus: Upload-Offset header). */
            uploadUrl: string;
            /** @description qemu-img virtual size, once checked. */
            virtualSizeBytes: number | null;
        };
        IssueHostCredentialsDto: {
            /**
             * @description Replace credentials issued before: the agent still using them loses its Redis access at once. Without it, a host that already has credentials is a 409.
             * @default false
             */
            replace?: boolean;
        };
        LogicalNetwork: {
            /** @example br-prod */
            bridge: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            datacenterId: string;
            description: string;
            /** Format: uuid */
            id: string;
            /** @default 1500 */
            mtu: number;
            name: string;
            /** Format: date-time */
            updatedAt: string;
            vlanId: number | null;
            /** @description Carries VM traffic (false: management/storage only). */
            vmNetwork: boolean;
        };
        LoginDto: {
            password: string;
            /** @example admin */
            username: string;
        };
        LoginProvidersResponse: {
            /**
             * @description Username and password (always offered).
             * @enum {boolean}
             */
            local: true;
            oidc: components["schemas"]["OidcProviderResponse"] | null;
        };
        MacPool: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            datacenterId: string;
            /** Format: uuid */
            id: string;
            name: string;
            ranges: components["schemas"]["MacRangeDto"][];
            /** @description Addresses the ranges hold. */
            size: number;
            /** Format: date-time */
            updatedAt: string;
            /** @description Addresses of the ranges NICs use. */
            used: number;
        };
        MacRangeDto: {
            /** @example 52:54:00:00:00:00 */
            from: string;
            /**
             * @description Included; not below from.
             * @example 52:54:00:ff:ff:ff
             */
            to: string;
        };
        MaintenancePlan: {
            blocked: number;
            choices: ("shutdown" | "poweroff" | "migrate")[];
            /** Format: uuid */
            hostId: string;
            hostName: string;
            hostStatus: string;
            running: components["schemas"]["MaintenancePlanMove"][];
            stopped: components["schemas"]["MaintenancePlanStoppedVm"][];
            summary: string;
        };
        MaintenancePlanMove: {
            memoryMib: number;
            reason: string;
            /** Format: uuid */
            targetHostId: string | null;
            targetHostName: string | null;
            /** Format: uuid */
            vmId: string;
            vmName: string;
        };
        MaintenancePlanStoppedVm: {
            /** Format: uuid */
            vmId: string;
            vmName: string;
        };
        MakeTemplateDto: {
            /** @default  */
            description?: string;
            /** @example prod-1 */
            name?: string;
        };
        MigrateVmDto: {
            abortOnNoProgressSeconds?: number;
            /** @description Migrate although a disk cache mode is not none/directsync. */
            allowUnsafeCache?: boolean;
            autoConverge?: boolean;
            compressed?: boolean;
            maxBandwidthMiBps?: number | null;
            maxDowntimeMs?: number;
            /** @description Time limit per GiB of memory (+ copied disks). */
            maxTimePerGiBSeconds?: number;
            /** @enum {string} */
            postcopy?: "off" | "immediate" | "on-stall";
            /** @enum {string} */
            storage?: "shared" | "copy-all" | "copy-incremental";
            /**
             * Format: uuid
             * @description Omitted: the scheduler picks a host.
             */
            targetHostId?: string;
        };
        MigrationPolicy: {
            autoConverge: boolean;
            compressed: boolean;
            maxBandwidthMiBps: number | null;
            maxDowntimeMs: number;
            postCopy: boolean;
        };
        MigrationPolicyDto: {
            autoConverge?: boolean;
            compressed?: boolean;
            maxBandwidthMiBps?: number | null;
            maxDowntimeMs?: number;
            postCopy?: boolean;
        };
        MigrationTargetOption: {
            /** @description Every pre-check passed. */
            eligible: boolean;
            freeMemoryMiB: number | null;
            /** Format: uuid */
            hostId: string;
            hostName: string;
            hostStatus: string;
            /** @description Why not (empty when eligible). */
            problems: string[];
            /** @description The scheduler's choice when no target is given. */
            recommended: boolean;
        };
        MigrationTargets: {
            recommendation: string;
            sourceHostId: string;
            targets: components["schemas"]["MigrationTargetOption"][];
            /** Format: uuid */
            vmId: string;
            vmProblems: string[];
        };
        MoveDiskDto: {
            /** @description Live moves only: the most MiB/s the copy reads, so that it does not starve the other VMs of the storage. Unlimited when absent. */
            bandwidthMiBps?: number;
            /**
             * Format: uuid
             * @description An active file domain (dir, local, nfs) of the same datacenter.
             */
            storageDomainId: string;
        };
        Nic: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            /** @description The guest's link (false: cable unplugged). */
            linkUp: boolean;
            /** @example 52:54:00:12:34:56 */
            mac: string;
            /** @enum {string} */
            model: "virtio" | "e1000" | "rtl8139";
            name: string;
            /** Format: uuid */
            networkId: string;
            /**
             * Format: uuid
             * @description The vNIC profile (of networkId) it attaches to.
             */
            profileId: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: uuid */
            vmId: string;
        };
        NicQosLimit: {
            /** @description KiB/s */
            averageKiBps: number;
            /** @description KiB */
            burstKiB: number | null;
            /** @description KiB/s */
            peakKiBps: number | null;
        };
        NicQosLimitDto: {
            /** @description Average rate, KiB/s. */
            averageKiBps: number;
            /** @description KiB that may be sent at peak rate. */
            burstKiB?: number | null;
            /** @description Peak rate while bursting, KiB/s (≥ averageKiBps). */
            peakKiBps?: number | null;
        };
        ObjectRef: {
            /** Format: uuid */
            id: string;
            /** @description The object's name when it was recorded. */
            name?: string;
            /** @enum {string} */
            type: "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm" | "disk" | "nic" | "snapshot" | "task";
        };
        OidcProviderResponse: {
            /** @description Where the button sends the browser. */
            loginUrl: string;
            /** @description The login button's label. */
            name: string;
        };
        PendingRestart: {
            /** @description Fields changed on the running VM that wait for its next start. */
            fields: string[];
            /**
             * Format: date-time
             * @description When the first of them was changed.
             */
            since: string;
        };
        PermissionsOnResponse: {
            /** Format: uuid */
            objectId: string | null;
            /** @enum {string} */
            objectType: "system" | "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm";
            permissions: ("view" | "datacenter.manage" | "cluster.manage" | "host.manage" | "network.manage" | "storage.manage" | "vm.create" | "vm.edit" | "vm.delete" | "vm.power" | "vm.migrate" | "vm.console" | "vm.snapshot" | "template.manage" | "user.manage" | "system.manage" | "metrics.read")[];
        };
        PlacementPreviewDto: {
            memoryMib?: number;
            vcpus?: number;
        };
        PowerDownCandidate: {
            /** Format: uuid */
            hostId: string;
            hostName: string;
        };
        PowerManagementTestResult: {
            /** @example Status: ON */
            detail: string;
            /**
             * @description The host's power as its BMC reports it
             * @enum {string}
             */
            powerStatus: "on" | "off";
        };
        PowerManagementView: {
            address: string;
            cipher: number | null;
            lanplus: boolean;
            /** @description A password is stored (encrypted); it is never returned. */
            passwordSet: boolean;
            port: number;
            /** @enum {string} */
            type: "ipmilan";
            /** Format: date-time */
            updatedAt: string;
            username: string;
        };
        PowerSavingThresholds: {
            highUtilizationPercent: number;
            lowUtilizationPercent: number;
        };
        PowerSavingThresholdsDto: {
            /** @description VMs moved off an under-used host never push a host above this */
            highUtilizationPercent?: number;
            /** @description a host below this (memory and CPU) is emptied so it can be powered down */
            lowUtilizationPercent?: number;
        };
        PutPowerManagementDto: {
            /**
             * @description The BMC's address (not the host's)
             * @example 192.0.2.110
             */
            address: string;
            /** @description IPMI 2.0 cipher suite (default: discovered) */
            cipher?: number;
            /**
             * @description IPMI 2.0 (RMCP+); false only for IPMI 1.5 BMCs
             * @default true
             */
            lanplus?: boolean;
            /** @description BMC password (IPMI: at most 20 characters). Required the first time; omitted, the stored one is kept. Stored encrypted, never returned. */
            password?: string;
            /** @default 623 */
            port?: number;
            /**
             * @description Fence agent (fence-agents)
             * @example ipmilan
             * @enum {string}
             */
            type: "ipmilan";
            /**
             * @description BMC user (IPMI: at most 16 characters)
             * @example admin
             */
            username: string;
        };
        RedisAccessResponse: {
            /** @description Its password: shown in this answer only; the engine keeps a SHA-256 of it. */
            password: string;
            /** @description The Redis the agent connects to (no user or password in it). */
            url: string;
            /** @description The host's own Redis ACL user. */
            username: string;
        };
        ResetPasswordDto: {
            password: string;
        };
        ResizeDiskDto: {
            /** @description The new, larger size. */
            virtualSizeBytes: number;
        };
        ResolveMaintenanceDto: {
            /**
             * @description `shutdown` (guest shutdown; here `forceAfterTimeout` defaults to true: powered off after `timeoutSeconds`), `poweroff`, or `migrate` to `targetHostId`.
             * @enum {string}
             */
            choice: "shutdown" | "poweroff" | "migrate";
            /**
             * @description Power off when the guest has not stopped in time.
             * @default false
             */
            forceAfterTimeout?: boolean;
            /**
             * Format: uuid
             * @description Required with `migrate`: the host the admin picked.
             */
            targetHostId?: string;
            /** @default 60 */
            timeoutSeconds?: number;
            /**
             * Format: uuid
             * @description A VM still running on the host.
             */
            vmId: string;
        };
        Role: {
            /** @description Built-in roles cannot be edited or deleted. */
            builtin: boolean;
            /** Format: uuid */
            id: string;
            /** @example VmOperator */
            name: string;
            permissions: ("view" | "datacenter.manage" | "cluster.manage" | "host.manage" | "network.manage" | "storage.manage" | "vm.create" | "vm.edit" | "vm.delete" | "vm.power" | "vm.migrate" | "vm.console" | "vm.snapshot" | "template.manage" | "user.manage" | "system.manage" | "metrics.read")[];
        };
        Schedule: {
            /** @enum {string} */
            action: "vm.migrate" | "host.maintenance" | "vm.start" | "vm.shutdown" | "vm.poweroff" | "vm.reboot" | "vm.snapshot";
            /** Format: date-time */
            cancelledAt: string | null;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            cron: string | null;
            /** Format: uuid */
            id: string;
            name: string | null;
            /** Format: date-time */
            nextRunAt: string | null;
            params: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            runAt: string | null;
            /** @enum {string} */
            state: "active" | "done" | "cancelled";
            target: components["schemas"]["ScheduleTarget"];
            timezone: string;
        };
        ScheduleDetail: {
            /** @enum {string} */
            action: "vm.migrate" | "host.maintenance" | "vm.start" | "vm.shutdown" | "vm.poweroff" | "vm.reboot" | "vm.snapshot";
            /** Format: date-time */
            cancelledAt: string | null;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            cron: string | null;
            /** Format: uuid */
            id: string;
            name: string | null;
            /** Format: date-time */
            nextRunAt: string | null;
            params: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            runAt: string | null;
            /** @description Newest first. */
            runs: components["schemas"]["ScheduleRun"][];
            /** @enum {string} */
            state: "active" | "done" | "cancelled";
            target: components["schemas"]["ScheduleTarget"];
            timezone: string;
        };
        ScheduleRun: {
            /**
             * Format: date-time
             * @description When the run was due.
             */
            dueAt: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            outcome: "started" | "refused";
            /** @description Why the action was refused. */
            reason: string | null;
            /** Format: date-time */
            startedAt: string;
            /**
             * Format: uuid
             * @description GET /tasks/{taskId}
             */
            taskId: string | null;
            /** @description The task's status now. */
            taskStatus: string | null;
        };
        ScheduleTarget: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            type: "vm" | "host";
        };
        SchedulingDecision: {
            /** Format: uuid */
            hostId: string | null;
            hostName: string | null;
            hosts: components["schemas"]["HostSchedulingVerdict"][];
            /** @enum {string} */
            policy: "evenly_distributed" | "power_saving" | "vm_count" | "none";
            summary: string;
            /** Format: uuid */
            vmId: string;
        };
        SchedulingRefusal: {
            /** @enum {string} */
            filter: "status" | "cluster" | "memory" | "cpu-count" | "cpu-model" | "affinity" | "networks" | "host-checks";
            reason: string;
        };
        SchedulingScore: {
            factor: number;
            score: number;
            weight: string;
            why: string;
        };
        SchedulingThresholds: {
            evenly: components["schemas"]["EvenlyThresholds"];
            powerSaving: components["schemas"]["PowerSavingThresholds"];
            vmCount: components["schemas"]["VmCountThresholds"];
        };
        SchedulingThresholdsDto: {
            evenly?: components["schemas"]["EvenlyThresholdsDto"];
            powerSaving?: components["schemas"]["PowerSavingThresholdsDto"];
            vmCount?: components["schemas"]["VmCountThresholdsDto"];
        };
        ShutdownVmDto: {
            /**
             * @description Power off when the guest has not stopped in time.
             * @default false
             */
            forceAfterTimeout?: boolean;
            /** @default 60 */
            timeoutSeconds?: number;
        };
        Snapshot: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: uuid */
            parentId: string | null;
            /** @enum {string} */
            type: "internal" | "external";
            /** Format: uuid */
            vmId: string;
            withMemory: boolean;
        };
        SnapshotNode: {
            children: components["schemas"]["SnapshotNode"][];
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: uuid */
            parentId: string | null;
            /** @enum {string} */
            type: "internal" | "external";
            /** Format: uuid */
            vmId: string;
            withMemory: boolean;
        };
        SnapshotTree: {
            /** @description Every snapshot, flat, oldest first (parentId links). */
            items: components["schemas"]["Snapshot"][];
            /** @description Snapshots without a parent, each with its subtree. */
            roots: components["schemas"]["SnapshotNode"][];
        };
        SshCredentialsDto: {
            /**
             * @description The SSH host key fingerprint the admin confirmed (SHA256:…, as ssh-keygen -l prints it). Without it the engine answers 409 host_key_unconfirmed with the fingerprint the host offers, to be confirmed and sent back.
             * @example SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s
             */
            expectedHostKeyFingerprint?: string;
            /** @description Passphrase of an encrypted privateKey: used once, never stored. */
            passphrase?: string;
            /** @description Password of sshUser (or privateKey): used once, never stored. */
            password?: string;
            /** @description OpenSSH/PEM private key authorized for sshUser (or password): used once, never stored. */
            privateKey?: string;
            /** @default 22 */
            sshPort?: number;
            /**
             * @description Must be root (the agent drives libvirt as root).
             * @default root
             */
            sshUser?: string;
        };
        StartRollingMaintenanceDto: {
            /**
             * @description Once a host is in maintenance: `reactivate` it at once, or `wait_for_admin` (who works on it, then continues with `POST /clusters/{id}/rolling-maintenance/continue` or by activating the host).
             * @default reactivate
             * @enum {string}
             */
            action?: "reactivate" | "wait_for_admin";
            /** @description The hosts to maintain, in this order (default: every host of the cluster, by name). */
            hostIds?: string[];
        };
        StorageConnectionDto: {
            /** @description iscsi: CHAP secret (12-255 printable characters). Write-only: stored sealed, never returned, defined on each host as a private libvirt secret. */
            chapSecret?: string;
            /** @description iscsi: CHAP user name (with chapSecret) */
            chapUser?: string;
            /**
             * @description nfs: exported path
             * @example /exports/kelpie
             */
            export?: string;
            /** @description rbd: the cephx user's key (base64, as in its keyring). Write-only: stored sealed, never returned, defined on each host as a private libvirt secret. */
            key?: string;
            /** @description iscsi: LUN */
            lun?: number;
            /** @description rbd: monitors host[:port] */
            monitors?: string[];
            /**
             * @description nfs: mount options
             * @example vers=4.2,soft
             */
            options?: string;
            /** @description rbd: pool */
            pool?: string;
            /** @description iscsi: portal host[:port] */
            portal?: string;
            /** @description nfs: server name or address */
            server?: string;
            /**
             * @description iscsi: target IQN
             * @example iqn.2024-01.org.example:storage
             */
            target?: string;
            /**
             * @description rbd: cephx user, without "client."
             * @example kelpie
             */
            user?: string;
            /** @description lvm: volume group */
            volumeGroup?: string;
        };
        StorageDomain: {
            connection: components["schemas"]["StorageConnectionDto"];
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            datacenterId: string;
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            /** @example /var/lib/kelpie/images */
            path: string;
            /** @enum {string} */
            status: "detached" | "inactive" | "active" | "degraded" | "maintenance" | "unknown";
            /** @description Why it is degraded: the failing hosts and why. */
            statusReason: string | null;
            /** @enum {string} */
            type: "dir" | "local" | "nfs" | "iscsi" | "rbd" | "lvm";
            /** Format: date-time */
            updatedAt: string;
        };
        StorageDomainHostStatus: {
            availableBytes?: number | null;
            capacityBytes?: number | null;
            /** Format: date-time */
            checkedAt: string;
            error?: string | null;
            /** Format: uuid */
            hostId: string;
            hostName: string;
            /** @enum {string} */
            status: "active" | "failed";
            /** Format: uuid */
            storageDomainId: string;
        };
        Task: {
            correlationId: string | null;
            /** Format: date-time */
            createdAt: string;
            errorCode: string | null;
            errorMessage: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            progress: number;
            progressMessage: string | null;
            requestedBy: string;
            result: Record<string, never> | null;
            /** Format: date-time */
            startedAt: string | null;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted";
            steps: components["schemas"]["TaskStep"][];
            /** @description The object the task acts on. */
            target: components["schemas"]["ObjectRef"] | null;
            /** @example vm.start */
            type: string;
        };
        TaskStep: {
            message?: string;
            name: string;
            /**
             * Format: uuid
             * @description The object the step is about (an evacuation step: its VM).
             */
            objectId?: string;
            /** @enum {string} */
            status: "pending" | "running" | "done" | "failed" | "skipped";
        };
        UpdateAffinityGroupDto: {
            /** @default  */
            description?: string;
            /** @description true: a filter (hosts that break it are refused); false: a weight */
            enforcing?: boolean;
            /** @description Hosts of the cluster: positive pins the VMs to them, negative keeps the VMs off them. A group with hosts is a VM↔host rule only (its VMs are not also kept together or apart). */
            hostIds?: string[] | null;
            /** @example prod-1 */
            name?: string;
            /** @enum {string} */
            polarity?: "positive" | "negative";
            /** @description VMs of the cluster. A create without them (absent or null) makes an empty group, filled later; a change with them replaces the members, without them keeps them */
            vmIds?: string[] | null;
        };
        UpdateAttachmentDto: {
            /** @enum {string} */
            attachment: "required" | "optional";
        };
        UpdateClusterDto: {
            /**
             * @description Periodic balancing: the engine live-migrates running VMs, a batch at a time, to bring the cluster within its policy's thresholds.
             * @default false
             */
            balancingEnabled?: boolean;
            /** @example 1 */
            compatibilityLevel?: string;
            /** @example Skylake-Client-IBRS */
            cpuModel?: string | null;
            /**
             * @description Firmware of new VMs that do not name one (existing VMs keep theirs).
             * @default bios
             * @enum {string}
             */
            defaultFirmware?: "bios" | "uefi";
            /**
             * @description Machine type of new VMs that do not name one (existing VMs keep theirs).
             * @default pc
             * @enum {string}
             */
            defaultMachineType?: "pc" | "q35";
            /** @default  */
            description?: string;
            /**
             * @description Encrypt live migrations (memory and disks) with TLS between the hosts (engine-issued certificates). Turn off only on a trusted migration network: it costs CPU and time.
             * @default true
             */
            migrationEncrypted?: boolean;
            migrationPolicy?: components["schemas"]["MigrationPolicyDto"];
            /** @example prod-1 */
            name?: string;
            /**
             * @default evenly_distributed
             * @enum {string}
             */
            schedulingPolicy?: "evenly_distributed" | "power_saving" | "vm_count" | "none";
            schedulingThresholds?: components["schemas"]["SchedulingThresholdsDto"];
            /**
             * @description How hosts carry the networks: one Linux bridge per network, or Open vSwitch.
             * @default linux_bridge
             * @enum {string}
             */
            switchType?: "linux_bridge" | "ovs";
        };
        UpdateDataCenterDto: {
            /** @default  */
            description?: string;
            /** @example prod-1 */
            name?: string;
        };
        UpdateDiskDto: {
            /**
             * @description Boot from this disk (a new VM: default the first disk).
             * @default false
             */
            bootable?: boolean;
            /**
             * @default virtio
             * @enum {string}
             */
            bus?: "virtio" | "sata" | "scsi" | "ide";
            /**
             * @default none
             * @enum {string}
             */
            cache?: "none" | "writethrough" | "writeback" | "directsync" | "unsafe";
            /** @default  */
            description?: string;
            /** @example prod-1 */
            name?: string;
            /**
             * @description Default: next free for the bus.
             * @example vdb
             */
            targetDev?: string | null;
            /** @example 10737418240 */
            virtualSizeBytes?: number;
            /**
             * Format: uuid
             * @description Attach to this VM (null: detach).
             */
            vmId?: string | null;
        };
        UpdateHostDto: {
            /**
             * @description DNS name or IP address the engine and the other hosts reach it by.
             * @example 192.0.2.10
             */
            address?: string;
            /** Format: uuid */
            clusterId?: string;
            /** @default  */
            description?: string;
            /**
             * @description How the other hosts reach its libvirt (migrations). Required without SSH credentials; when enrolling over SSH the default is qemu+tls://<address>/system (libvirtd on port 16514 with the certificate the engine issues to the host; the agent turns the listener on).
             * @example qemu+ssh://root@192.0.2.10/system
             */
            libvirtUri?: string;
            /** @example prod-1 */
            name?: string;
        };
        UpdateMacPoolDto: {
            /** @example prod-1 */
            name?: string;
            /** @description 1-16 unicast ranges that do not overlap. */
            ranges: components["schemas"]["MacRangeDto"][];
        };
        UpdateNetworkDto: {
            /**
             * @description Linux bridge on every host (1-15 characters).
             * @example br-prod
             */
            bridge?: string;
            /** @default  */
            description?: string;
            /** @default 1500 */
            mtu?: number;
            /** @example prod-1 */
            name?: string;
            vlanId?: number | null;
            /** @default true */
            vmNetwork?: boolean;
        };
        UpdateNicDto: {
            /** @default  */
            description?: string;
            /**
             * @description Unicast MAC; default: a free one of the datacenter's MAC pool.
             * @example 52:54:00:12:34:56
             */
            mac?: string;
            /**
             * @default virtio
             * @enum {string}
             */
            model?: "virtio" | "e1000" | "rtl8139";
            /**
             * @description Default: nic1, nic2, …
             * @example prod-1
             */
            name?: string;
            /**
             * Format: uuid
             * @description A VM network of the VM's datacenter: the NIC gets its default profile (or give profileId).
             */
            networkId?: string;
            /**
             * Format: uuid
             * @description A vNIC profile of a VM network of the datacenter.
             */
            profileId?: string;
        };
        UpdateRoleDto: {
            name?: string;
            permissions?: ("view" | "datacenter.manage" | "cluster.manage" | "host.manage" | "network.manage" | "storage.manage" | "vm.create" | "vm.edit" | "vm.delete" | "vm.power" | "vm.migrate" | "vm.console" | "vm.snapshot" | "template.manage" | "user.manage" | "system.manage" | "metrics.read")[];
        };
        UpdateStorageDomainDto: {
            connection?: components["schemas"]["StorageConnectionDto"];
            /** @default  */
            description?: string;
            /** @example prod-1 */
            name?: string;
            /**
             * @description Where hosts find the volumes (mount point or directory). Not for iscsi and rbd domains, whose volumes are LUNs or RBD images.
             * @example /var/lib/kelpie/images
             */
            path?: string;
        };
        UpdateVmDto: {
            /**
             * @description Devices tried in order when boot is disk (a cdrom boot tries the CD-ROM first).
             * @default [
             *       "hd"
             *     ]
             */
            bootOrder?: ("hd" | "cdrom" | "network")[];
            /** Format: uuid */
            clusterId?: string;
            /** @default  */
            description?: string;
            /**
             * @description Default: the template's (sourceTemplateId), else the cluster's defaultFirmware. uefi boots OVMF with a per-VM NVRAM on its host.
             * @enum {string}
             */
            firmware?: "bios" | "uefi";
            /** @default true */
            graphicsVnc?: boolean;
            /**
             * @description HA restart order after a host is fenced: higher first.
             * @default 50
             */
            haPriority?: number;
            /** @default false */
            highlyAvailable?: boolean;
            /**
             * @description Default: the template's (sourceTemplateId), else the cluster's defaultMachineType. q35 puts the CD-ROM on SATA and has no IDE controller: an IDE disk on a q35 VM is refused (400).
             * @enum {string}
             */
            machineType?: "pc" | "q35";
            /** @description Default: memoryMib. */
            maxMemoryMib?: number;
            /** @default 1024 */
            memoryMib?: number;
            /** @example prod-1 */
            name?: string;
            /**
             * @default other
             * @example linux
             */
            osType?: string;
            /**
             * @description UEFI Secure Boot: needs firmware uefi and machineType q35. Default: the template's while the VM keeps its machine type and firmware, else false.
             * @default false
             */
            secureBoot?: boolean;
            /** @default 1 */
            vcpus?: number;
            /**
             * @description An i6300esb watchdog device and what QEMU does when the guest stops feeding it (reported as a vm.watchdog event); null or absent: no watchdog. Applied at the next start of a running VM.
             * @enum {string|null}
             */
            watchdogAction?: "reset" | "poweroff" | "pause" | "none" | null;
        };
        UpdateVmNicDto: {
            /** @description The guest's link: false unplugs the cable (domif-setlink). */
            linkUp?: boolean;
            /**
             * Format: uuid
             * @description Move the NIC to this network's default profile (or give profileId).
             */
            networkId?: string;
            /**
             * Format: uuid
             * @description Move the NIC to this vNIC profile.
             */
            profileId?: string;
        };
        UpdateVnicProfileDto: {
            /** @default  */
            description?: string;
            /** @description Traffic the guest receives; null = unlimited. */
            inbound?: components["schemas"]["NicQosLimitDto"] | null;
            /** @example prod-1 */
            name?: string;
            /** @description Traffic the guest sends; null = unlimited. */
            outbound?: components["schemas"]["NicQosLimitDto"] | null;
            /**
             * @description Copy all of the network’s traffic to the VM NICs using this profile (an Open vSwitch mirror with the NIC’s port as output; on a Linux bridge tc mirred filters on the bridge’s other ports): such a NIC only listens. Applied at NIC start/plug.
             * @default false
             */
            portMirroring?: boolean;
        };
        User: {
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            displayName: string | null;
            /** @description The OpenID Connect issuer of an external user (no password login); null for a local user. */
            externalIssuer: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            passwordChangedAt: string | null;
            /** @example alice */
            username: string;
        };
        Vm: {
            /** @description How the VM boots: {kind:'disk'} | {kind:'cdrom'} | {kind:'kernel', kernel, initrd?, cmdline?}; null = disk. */
            boot: ({
                /** @enum {string} */
                kind: "disk";
            } | {
                /** @enum {string} */
                kind: "cdrom";
            } | {
                cmdline?: string;
                initrd?: string;
                kernel: string;
                /** @enum {string} */
                kind: "kernel";
            }) | null;
            bootOrder: ("hd" | "cdrom" | "network")[];
            /** @description ISO in the CD-ROM drive (hdc); null = empty. */
            cdromIsoPath: string | null;
            /** Format: uuid */
            clusterId: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** Format: uuid */
            datacenterId: string;
            description: string;
            /** @enum {string} */
            desiredStatus: "down" | "starting" | "up" | "paused" | "powering_down" | "reboot_in_progress" | "migrating_from" | "migrating_to" | "suspended" | "crashed" | "unknown";
            /** @description Found on a host, not created by Kelpie. */
            external: boolean;
            /** @enum {string} */
            firmware: "bios" | "uefi";
            /** @description Live VNC port on its host, as the agent reports it; null when not running or without VNC. */
            graphicsPort: number | null;
            graphicsVnc: boolean;
            /** @description Order of HA restarts after a host is fenced: higher first (the capacity goes to them). */
            haPriority: number;
            /** @description Restarted on another host when its host is fenced, in place when its QEMU crashes. */
            highlyAvailable: boolean;
            /**
             * Format: uuid
             * @description Host the VM runs on.
             */
            hostId: string | null;
            /**
             * Format: uuid
             * @description Also the libvirt domain UUID.
             */
            id: string;
            isTemplate: boolean;
            /** @enum {string} */
            machineType: "pc" | "q35";
            maxMemoryMib: number;
            memoryMib: number;
            name: string;
            /** @example linux */
            osType: string;
            /** @description Changes applied at next start. */
            pendingRestart: components["schemas"]["PendingRestart"] | null;
            /** @description UEFI Secure Boot (OVMF with the Microsoft keys enrolled). */
            secureBoot: boolean;
            /** Format: uuid */
            sourceTemplateId: string | null;
            /** @enum {string} */
            status: "down" | "starting" | "up" | "paused" | "powering_down" | "reboot_in_progress" | "migrating_from" | "migrating_to" | "suspended" | "crashed" | "unknown";
            statusReason: string | null;
            /** Format: date-time */
            updatedAt: string;
            vcpus: number;
            /**
             * @description The i6300esb watchdog action; null: no watchdog.
             * @enum {string|null}
             */
            watchdogAction: "reset" | "poweroff" | "pause" | "none" | null;
        };
        VmBootDto: {
            /** @description kind=kernel: kernel command line (printable ASCII, no <, >, &). */
            cmdline?: string;
            /** @description kind=kernel: initrd path on the hosts. */
            initrd?: string;
            /**
             * Format: uuid
             * @description kind=cdrom: an ISO of a domain's library, by id.
             */
            isoId?: string;
            /** @description kind=cdrom: ISO file inside a storage domain of the datacenter (or give isoId). */
            isoPath?: string;
            /** @description kind=kernel: kernel image path on the hosts. */
            kernel?: string;
            /** @enum {string} */
            kind: "disk" | "cdrom" | "kernel";
        };
        VmCountThresholds: {
            maxSpread: number;
        };
        VmCountThresholdsDto: {
            /** @description most running VMs one host may have above another */
            maxSpread?: number;
        };
        VmHaEvent: {
            /** Format: date-time */
            at: string;
            /**
             * Format: uuid
             * @description The audit event
             */
            eventId: string;
            /**
             * @description `other-host`: after its host was fenced; `same-host`: after its QEMU crashed
             * @enum {string}
             */
            kind: "other-host" | "same-host";
            message: string;
        };
        VmHaStatus: {
            /** @description Why the VM is in this state */
            detail: string;
            highlyAvailable: boolean;
            /** @description The last failed or given-up restart, when newer than the last restart */
            lastFailure: components["schemas"]["VmHaEvent"] | null;
            /** @description The last HA restart (null: never) */
            lastRestart: components["schemas"]["VmHaEvent"] | null;
            /** @description Order of HA restarts (higher first) */
            priority: number;
            /** @enum {string} */
            state: "off" | "protected" | "awaiting-fence" | "restart-failed" | "down";
        };
        VmMigration: {
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /**
             * Format: uuid
             * @description Also the id of the vm.migrate task.
             */
            id: string;
            policy: Record<string, never>;
            /** @description Latest domjobinfo sample of the source. */
            progress: Record<string, never> | null;
            progressSamples: number;
            result: Record<string, never> | null;
            /** Format: date-time */
            sourceGoneAt: string | null;
            /** Format: uuid */
            sourceHostId: string;
            /** @enum {string} */
            status: "running" | "succeeded" | "failed" | "cancelled";
            /** Format: uuid */
            targetHostId: string;
            targetReason: string;
            /** Format: date-time */
            targetRunningAt: string | null;
            /** Format: uuid */
            vmId: string;
        };
        VmStatsSampleResponse: {
            /** Format: date-time */
            at: string;
            balloonKiB?: number;
            blockRdBytes: number;
            blockWrBytes: number;
            cpuPercent?: number;
            cpuTimeNs: number;
            netRxBytes: number;
            netTxBytes: number;
            rssKiB?: number;
        };
        VnicProfile: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            /** @description Received by the guest. */
            inbound: components["schemas"]["NicQosLimit"] | null;
            /** @description The network's default profile (what a NIC given only networkId gets). */
            isDefault: boolean;
            name: string;
            /** Format: uuid */
            networkId: string;
            /** @description Sent by the guest. */
            outbound: components["schemas"]["NicQosLimit"] | null;
            /** @description The network’s traffic is mirrored to the NICs using this profile. */
            portMirroring: boolean;
            /** Format: date-time */
            updatedAt: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AuthController_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentUserResponse"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: too many requests or connections from this client; retry later */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    AuthController_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AuthController_whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentUserResponse"];
                };
            };
        };
    };
    OidcController_callback: {
        parameters: {
            query?: {
                code?: unknown;
                state?: unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the portal, with the session cookie */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description To the portal's login page with the reason's code */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    OidcController_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the identity provider */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description To the portal's login page with the reason's code */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    AuthController_changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordDto"];
            };
        };
        responses: {
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: too many requests or connections from this client; retry later */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    AuthController_permissions: {
        parameters: {
            query?: {
                /** @description With objectType and objectId: the grants made higher up the tree (its ancestors and the system), which also apply to the object, instead of those made on it. */
                inherited?: boolean;
                objectId?: string;
                objectType?: "system" | "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm";
                principalId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PermissionsOnResponse"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    OidcController_providers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginProvidersResponse"];
                };
            };
        };
    };
    AuthController_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiToken"][];
                };
            };
        };
    };
    AuthController_createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiTokenResponse"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    AuthController_revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    CloudInitController_preview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CloudInitDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CloudInitPreviewDto"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClustersController_list: {
        parameters: {
            query?: {
                datacenterId?: string;
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Cluster"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClustersController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateClusterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClusterNetworksController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterNetwork"][];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClusterNetworksController_attach: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AttachNetworkDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterNetwork"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClusterNetworksController_detach: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                networkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClusterNetworksController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clusterId: string;
                networkId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAttachmentDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterNetwork"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClustersController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClustersController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClustersController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateClusterDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cluster"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AffinityGroup"][];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAffinityGroupDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AffinityGroup"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                groupId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AffinityGroup"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                groupId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                groupId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAffinityGroupDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AffinityGroup"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_violations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AffinityViolation"][];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    BalancingController_plan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BalancePlan"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    RollingMaintenanceController_start: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["StartRollingMaintenanceDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    RollingMaintenanceController_continue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Host"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DataCentersController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DataCenter"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DataCentersController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDataCenterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataCenter"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    MacPoolsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                datacenterId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MacPool"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    MacPoolsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                datacenterId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMacPoolDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MacPool"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DataCentersController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataCenter"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DataCentersController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DataCentersController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDataCenterDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataCenter"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DisksController_list: {
        parameters: {
            query?: {
                datacenterId?: string;
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                storageDomainId?: string;
                vmId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Disk"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DisksController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDiskDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Disk"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DisksController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Disk"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DisksController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DisksController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDiskDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Disk"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DiskContentController_download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image bytes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DiskContentController_move: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MoveDiskDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DiskResizeController_resize: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResizeDiskDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    EventsController_list: {
        parameters: {
            query?: {
                /** @description Everything one API request caused shares its correlation id. */
                correlationId?: string;
                limit?: number;
                /** @description Concerning this object. */
                objectId?: string;
                /** @description Concerning an object of this type. */
                objectType?: "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm" | "disk" | "nic" | "snapshot" | "task";
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                severity?: "info" | "warning" | "error";
                since?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                type?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEvent"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    EventsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEvent"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    EventsController_live: {
        parameters: {
            query?: {
                /** @description Only messages concerning this object. */
                objectId?: string;
                /** @description Only messages concerning objects of this type. */
                objectType?: "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm" | "disk" | "nic" | "snapshot" | "task";
                /** @description Comma-separated message types (task.created, task.progress, task.finished, object.created, object.updated, object.deleted, host.status, vm.status, event.recorded, stream.resync). */
                types?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream of StreamMessage */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiError"];
                };
            };
            /** @description rate_limited: too many requests or connections from this client; retry later */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ApiError"];
                };
            };
        };
    };
    GcController_orphans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GcReport (shared-types) with dryRun: true */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    GcController_runNow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GcReport (shared-types) with dryRun: false */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_grants: {
        parameters: {
            query?: {
                /** @description With objectType and objectId: the grants made higher up the tree (its ancestors and the system), which also apply to the object, instead of those made on it. */
                inherited?: boolean;
                objectId?: string;
                objectType?: "system" | "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm";
                principalId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Grant"][];
                };
            };
        };
    };
    DirectoryController_createGrant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGrantDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Grant"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_deleteGrant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_groups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupWithMembers"][];
                };
            };
        };
    };
    DirectoryController_createGroup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGroupDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Group"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_deleteGroup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddMemberDto"];
            };
        };
        responses: {
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HealthController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description State of the engine and its Postgres and Redis connections (503 when degraded). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReportResponse"];
                };
            };
        };
    };
    HostsController_list: {
        parameters: {
            query?: {
                clusterId?: string;
                datacenterId?: string;
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                status?: "installing" | "up" | "non_responsive" | "non_operational" | "preparing_for_maintenance" | "maintenance" | "error";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Host"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnrollHostDto"];
            };
        };
        responses: {
            /** @description Registered (no SSH credentials given). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Host"];
                };
            };
            /** @description Enrollment started (`host.enroll`). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Host"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateHostDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Host"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    MaintenanceController_activate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Host"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HaController_confirmRebooted: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostCredentialsController_issue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IssueHostCredentialsDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostCredentialsResponse"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostsController_reinstall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SshCredentialsDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    MaintenanceController_enter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    MaintenanceController_plan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MaintenancePlan"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    MaintenanceController_resolve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveMaintenanceDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostNetworksController_setup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HostNetworkSetupDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    HostNetworksController_nics: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostNetworkViewResponse"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    PowerManagementController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PowerManagementView"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    PowerManagementController_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutPowerManagementDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PowerManagementView"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    PowerManagementController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    PowerManagementController_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PowerManagementTestResult"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StatsController_host: {
        parameters: {
            query?: {
                /** @description Newest samples read (per host for the fleet). */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recent host samples, oldest first (CPU %, memory, KSM). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HostStatsSampleResponse"][];
                };
            };
        };
    };
    MetricsController_scrape: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition: API latency, tasks, queues, heartbeats, migrations, consoles, host and VM gauges. Bearer KELPIE_METRICS_TOKEN, or an API token holding metrics.read. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmMigrationController_list: {
        parameters: {
            query?: {
                /** @description Source or target host. */
                hostId?: string;
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                status?: "running" | "succeeded" | "failed" | "cancelled";
                vmId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["VmMigration"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmMigrationController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VmMigration"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NetworksController_list: {
        parameters: {
            query?: {
                /** @description Networks attached to this cluster. */
                clusterId?: string;
                datacenterId?: string;
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["LogicalNetwork"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NetworksController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateNetworkDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogicalNetwork"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NetworksController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogicalNetwork"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NetworksController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NetworksController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNetworkDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogicalNetwork"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VnicProfilesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                networkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VnicProfile"][];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VnicProfilesController_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                networkId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateVnicProfileDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VnicProfile"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VnicProfilesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                networkId: string;
                profileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VnicProfile"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VnicProfilesController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                networkId: string;
                profileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VnicProfilesController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                networkId: string;
                profileId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateVnicProfileDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VnicProfile"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NicsController_list: {
        parameters: {
            query?: {
                limit?: number;
                networkId?: string;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                vmId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Nic"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NicsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateNicDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Nic"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NicsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Nic"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NicsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    NicsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNicDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Nic"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_roles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"][];
                };
            };
        };
    };
    DirectoryController_createRole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRoleDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_deleteRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_updateRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRoleDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Role"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"][];
                };
            };
        };
    };
    SchedulesController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateScheduleDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduleDetail"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulesController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SnapshotsController_list: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                vmId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Snapshot"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SnapshotsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Snapshot"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StatsController_fleet: {
        parameters: {
            query?: {
                /** @description Width of the time buckets. */
                bucketSeconds?: number;
                /** @description Newest samples read (per host for the fleet). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CPU (mean) and memory (sum) of the hosts that are Up, merged into time buckets, oldest first; `limit` samples are read per host. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FleetStatsResponse"];
                };
            };
        };
    };
    StorageDomainsController_list: {
        parameters: {
            query?: {
                datacenterId?: string;
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                status?: "detached" | "inactive" | "active" | "degraded" | "maintenance" | "unknown";
                type?: "dir" | "local" | "nfs" | "iscsi" | "rbd" | "lvm";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StorageDomain"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageDomainsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateStorageDomainDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageDomain"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageDomainsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageDomain"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageDomainsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageDomainsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateStorageDomainDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageDomain"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageLifecycleController_activate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageLifecycleController_attach: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageLifecycleController_destroy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageLifecycleController_detach: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageLifecycleController_hosts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageDomainHostStatus"][];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ImagesController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageResponse"][];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ImagesController_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateImageDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageResponse"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ImagesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageResponse"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ImagesController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ImagesController_offset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Headers only */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ImagesController_append: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                imageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Bytes written; Upload-Offset header */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    StorageLifecycleController_maintenance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    TasksController_list: {
        parameters: {
            query?: {
                /** @description Everything one API request caused shares its correlation id. */
                correlationId?: string;
                limit?: number;
                /** @description Concerning this object. */
                objectId?: string;
                /** @description Concerning an object of this type. */
                objectType?: "datacenter" | "cluster" | "host" | "storage_domain" | "network" | "vm" | "disk" | "nic" | "snapshot" | "task";
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                status?: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted";
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Task"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    TasksController_get: {
        parameters: {
            query?: {
                /** @description Wait up to this many milliseconds for the task to reach a final status. */
                wait?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    TasksController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    TemplatesController_createVm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateFromTemplateDto"];
            };
        };
        responses: {
            /** @description the task; `result.vmId` is the new VM */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"][];
                };
            };
        };
    };
    DirectoryController_createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_disable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_enable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    DirectoryController_resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPasswordDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmsController_list: {
        parameters: {
            query?: {
                clusterId?: string;
                datacenterId?: string;
                external?: boolean;
                hostId?: string;
                isTemplate?: boolean;
                limit?: number;
                offset?: number;
                /** @description Case-insensitive substring of the name. */
                q?: string;
                /** @description Field to sort by, optionally followed by `:asc` or `:desc` (e.g. `name:desc`). */
                sort?: string;
                status?: "down" | "starting" | "up" | "paused" | "powering_down" | "reboot_in_progress" | "migrating_from" | "migrating_to" | "suspended" | "crashed" | "unknown";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Vm"][];
                        limit: number;
                        offset: number;
                        /** @description Matches of the filters over all pages. */
                        total: number;
                        /** @description Present and true when the list has no filter and the table holds more than 10000 rows: `total` is then Postgres' row estimate, not an exact count. */
                        totalEstimated?: boolean;
                    };
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateVmDto"];
            };
        };
        responses: {
            /** @description definition only */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description the vm.create task; `target.id` is the VM */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description unprocessable: e.g. a storage domain type that cannot hold new volumes */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmsController_remove: {
        parameters: {
            query?: {
                /** @description Power off a running VM first. */
                force?: boolean;
                /** @description Also delete the VM's disks and their volumes. */
                withDisks?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateVmDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmLifecycleController_changeCdrom: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeCdromDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ClonesController_clone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CloneVmDto"];
            };
        };
        responses: {
            /** @description the clone task; `result.vmId` is the new VM */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    CloudInitController_attach: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CloudInitDto"];
            };
        };
        responses: {
            /** @description `result.isoPath`, `result.target`, `result.live` */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    ConsoleController_vnc: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleTicket"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_attachDisk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AttachVmDiskDto"];
            };
        };
        responses: {
            /** @description `result.diskId`, `result.targetDev` */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_detachDisk: {
        parameters: {
            query?: {
                /** @description Delete the disk and its volume after detaching. */
                deleteVolume?: boolean;
            };
            header?: never;
            path: {
                diskId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmHaController_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VmHaStatus"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmMigrationController_migrate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["MigrateVmDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmMigrationController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmMigrationController_targets: {
        parameters: {
            query?: {
                /** @description Accept disks whose cache mode is not none/directsync. */
                allowUnsafeCache?: boolean;
                storage?: "shared" | "copy-all" | "copy-incremental";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MigrationTargets"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_attachNic: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AttachVmNicDto"];
            };
        };
        responses: {
            /** @description `result.nicId`, `result.mac` */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_detachNic: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                nicId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_updateNic: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                nicId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateVmNicDto"];
            };
        };
        responses: {
            /** @description `result.profileId`, `result.networkId`, `result.linkUp`, `result.live`, `result.replugged` */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_preview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchedulingDecision"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    SchedulingController_whatIf: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PlacementPreviewDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SchedulingDecision"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_poweroff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmLifecycleController_reboot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmLifecycleController_reset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmLifecycleController_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ConsoleController_serial: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsoleTicket"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_shutdown: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ShutdownVmDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    VmSnapshotsController_tree: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SnapshotTree"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmSnapshotsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSnapshotDto"];
            };
        };
        responses: {
            /** @description `result.snapshotId`; `result.warning` past the limit */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmSnapshotsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                sid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmSnapshotsController_revert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                sid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
    VmLifecycleController_start: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    StatsController_vm: {
        parameters: {
            query?: {
                /** @description Newest samples read (per host for the fleet). */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recent VM samples, oldest first (CPU, memory, block and NIC counters). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VmStatsSampleResponse"][];
                };
            };
        };
    };
    VmLifecycleController_suspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description host_unavailable: the VM host is not up */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TemplatesController_makeTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["MakeTemplateDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Vm"];
                };
            };
            /** @description validation_failed: invalid input; `details` names every offending field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description not_found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
            /** @description conflict / has_children / invalid_state; `details` names the blocking objects */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiError"];
                };
            };
        };
    };
}
