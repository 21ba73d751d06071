import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { AccountSelectionPage } from './AccountSelectionPage.tsx';
import { ConnectionDetailsPage } from './ConnectionDetailsPage.tsx';
import { ConnectionsListPage } from './ConnectionsListPage.tsx';
import { NewConnectionPage } from './NewConnectionPage.tsx';

/** Everything under `/connections`: the list, making a connection, and a connection's details. */
export default function ConnectionsArea() {
  return (
    <Routes>
      <Route index element={<ConnectionsListPage />} />
      <Route path="new" element={<NewConnectionPage />} />
      <Route path="new/accounts" element={<AccountSelectionPage />} />
      <Route path=":id/:tab?" element={<ConnectionDetailsPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
