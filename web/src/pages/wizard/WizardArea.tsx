import { PageHeader } from '../../components/PageHeader.tsx';

/** Placeholder until this area is built. */
export default function WizardArea() {
  return <PageHeader title="WizardArea" description="Coming in this session." />;
}
