import { LOGIN_PATH } from '@kelpie/shared-types';
import { Link, Navigate, Route, Routes } from 'react-router';
import { RolesPage } from './admin/RolesPage';
import { GroupsPage } from './admin/GroupsPage';
import { TokensPage } from './admin/TokensPage';
import { UsersPage } from './admin/UsersPage';
import { UserMenu } from './auth/UserMenu';
import { ConsoleRoute } from './console/ConsoleRoute';
import { useStreamState } from './live/useLiveStream';
import { NavTree } from './nav/NavTree';
import { useNavOpen } from './nav/useNavOpen';
import { Dashboard } from './pages/Dashboard';
import { EventList } from './pages/EventList';
import { MacPoolsPage } from './networks/MacPoolsPage';
import { VnicProfilesPage } from './networks/VnicProfilesPage';
import { NetworkList } from './pages/NetworkList';
import { StorageDomainDetail } from './pages/StorageDomainDetail';
import { StorageDomainList } from './pages/StorageDomainList';
import { TaskList } from './pages/TaskList';
import { HostDetail, HostList } from './pages/Hosts';
import { ClusterDetail, ClusterList } from './pages/Clusters';
import { DatacenterDetail, DatacenterList } from './pages/Datacenters';
import { VmDetail } from './pages/VmDetail';
import { VmList } from './pages/VmList';
import { VmNew } from './pages/VmNew';
import { SchedulesPage } from './schedules/SchedulesPage';

function StreamIndicator() {
  const state = useStreamState();
  const text = state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Offline';
  return (
    <span className={`live live-${state}`} role="status" aria-label={`Live updates: ${text}`}>
      <span aria-hidden="true">●</span> {text}
    </span>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the dashboard</Link>
      </p>
    </section>
  );
}

export function App() {
  const [navOpen, toggleNav] = useNavOpen();
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={navOpen}
          aria-controls="sidebar"
          aria-label="Navigation"
          title={navOpen ? 'Hide the navigation' : 'Show the navigation'}
          onClick={toggleNav}
        >
          <span aria-hidden="true">☰</span>
        </button>
        <Link to="/" className="brand">
          Kelpie
        </Link>
        <span className="muted">KVM fleet manager</span>
        <span className="spacer" />
        <StreamIndicator />
        <Link to="/vms/new" className="button primary small">
          New VM
        </Link>
        <UserMenu />
      </header>
      <div className="body">
        {navOpen && <NavTree />}
        <main id="main" tabIndex={-1}>
          <Routes>
            <Route path="/" element={<Dashboard />} />
            <Route path="/vms" element={<VmList />} />
            <Route path="/vms/new" element={<VmNew />} />
            <Route path="/vms/:id" element={<VmDetail />} />
            <Route path="/vms/:id/console" element={<ConsoleRoute />} />
            <Route path="/hosts" element={<HostList />} />
            <Route path="/hosts/:id" element={<HostDetail />} />
            <Route path="/datacenters" element={<DatacenterList />} />
            <Route path="/datacenters/:id" element={<DatacenterDetail />} />
            <Route path="/clusters" element={<ClusterList />} />
            <Route path="/clusters/:id" element={<ClusterDetail />} />
            <Route path="/storage-domains" element={<StorageDomainList />} />
            <Route path="/storage-domains/:id" element={<StorageDomainDetail />} />
            <Route path="/networks" element={<NetworkList />} />
            <Route path="/vnic-profiles" element={<VnicProfilesPage />} />
            <Route path="/mac-pools" element={<MacPoolsPage />} />
            <Route path="/tasks" element={<TaskList />} />
            <Route path="/events" element={<EventList />} />
            <Route path="/schedules" element={<SchedulesPage />} />
            <Route path="/admin/users" element={<UsersPage />} />
            <Route path="/admin/roles" element={<RolesPage />} />
            <Route path="/admin/groups" element={<GroupsPage />} />
            <Route path="/tokens" element={<TokensPage />} />
            {/* Logged in by now: the login page's own address leads to the dashboard. */}
            <Route path={LOGIN_PATH} element={<Navigate to="/" replace />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </main>
      </div>
    </div>
  );
}
