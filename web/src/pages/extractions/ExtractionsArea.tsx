import { PageHeader } from '../../components/PageHeader.tsx';

/** Placeholder until this area is built. */
export default function ExtractionsArea() {
  return <PageHeader title="ExtractionsArea" description="Coming in this session." />;
}
