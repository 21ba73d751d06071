import { PageHeader } from '../../components/PageHeader.tsx';

/** Placeholder until this area is built. */
export default function ConnectionsArea() {
  return <PageHeader title="ConnectionsArea" description="Coming in this session." />;
}
