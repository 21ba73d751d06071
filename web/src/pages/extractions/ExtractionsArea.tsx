import { Route, Routes, useLocation } from 'react-router';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import EventsPage from './EventsPage.tsx';
import ExtractionDetailPage from './ExtractionDetailPage.tsx';
import ExtractionsListPage from './ExtractionsListPage.tsx';
import RunDetailPage from './RunDetailPage.tsx';

/**
 * The Extractions area: the list, an extraction's page (with its tabs in the URL), a run's page,
 * and the Events view. Mounted at `/extractions/*` and at `/events`.
 */
export default function ExtractionsArea() {
  const location = useLocation();
  if (location.pathname === '/events' || location.pathname.startsWith('/events/')) return <EventsPage />;
  return (
    <Routes>
      <Route index element={<ExtractionsListPage />} />
      <Route path=":id/runs/:runId" element={<RunDetailPage />} />
      <Route path=":id/:tab" element={<ExtractionDetailPage />} />
      <Route path=":id" element={<ExtractionDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
