import { Route, Routes, useLocation } from 'react-router';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { DataSourcePage } from './DataSourcePage.tsx';
import { DataSourcesPage } from './DataSourcesPage.tsx';
import { DestinationsPage } from './DestinationsPage.tsx';

/**
 * The catalog area: the warehouses data lands in (`/destinations`) and the sources it comes from
 * (`/data-sources`). One lazy chunk serves both, so the routes branch on the path here.
 */
export default function CatalogArea() {
  const location = useLocation();
  if (location.pathname.startsWith('/destinations')) {
    return (
      <Routes>
        <Route index element={<DestinationsPage adding={false} />} />
        <Route path="new" element={<DestinationsPage adding />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route index element={<DataSourcesPage />} />
      <Route path=":id" element={<DataSourcePage />} />
      <Route path=":id/:tab" element={<DataSourcePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
