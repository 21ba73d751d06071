import { PageHeader } from '../../components/PageHeader.tsx';

/** Placeholder until this area is built. */
export default function CatalogArea() {
  return <PageHeader title="CatalogArea" description="Coming in this session." />;
}
