import { GuardedButton } from '../components/GuardedButton';
import { ListPage, type ListPageProps } from '../lists/ListPage';

/** An identity admin page (users, groups, roles): the list with its "New …" button, both off with
 * the reason (`denied`) for someone who may not administer users. */
export function AdminListPage<T extends { id: string }>({
  denied,
  createLabel,
  onCreate,
  children,
  ...list
}: Omit<ListPageProps<T>, 'actions'> & { denied: string | null; createLabel: string; onCreate: () => void }) {
  return (
    <ListPage
      {...list}
      actions={
        <GuardedButton reason={denied} small={false} onClick={onCreate}>
          {createLabel}
        </GuardedButton>
      }
    >
      {denied && <p className="notice">{denied}</p>}
      {children}
    </ListPage>
  );
}
