import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { RequiresAccess } from '../access/RequiresAccess.tsx';
import { AccountSelectionPage } from './AccountSelectionPage.tsx';
import { ConnectionDetailsPage } from './ConnectionDetailsPage.tsx';
import { ConnectionsListPage } from './ConnectionsListPage.tsx';
import { NewConnectionPage } from './NewConnectionPage.tsx';

/** Making a connection is for roles that may; others get an explanation. */
function writer(page: ReactNode) {
  return (
    <RequiresAccess
      endpoint="createConnection"
      what="make connections"
      back={{ to: '/connections', label: 'Back to connections' }}
    >
      {page}
    </RequiresAccess>
  );
}

/** Everything under `/connections`: the list, making a connection, and a connection's details. */
export default function ConnectionsArea() {
  return (
    <Routes>
      <Route index element={<ConnectionsListPage />} />
      <Route path="new" element={writer(<NewConnectionPage />)} />
      <Route path="new/accounts" element={writer(<AccountSelectionPage />)} />
      <Route path=":id/:tab?" element={<ConnectionDetailsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
