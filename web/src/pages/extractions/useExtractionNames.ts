import { useApiQuery } from '../../api.ts';

/**
 * Names of the things an extraction points at by id (data source, destination), from the
 * catalog and destination lists every extraction page shares; ids stand in until they load.
 */
export function useExtractionNames() {
  const sources = useApiQuery('listDataSources', {}, { staleTime: 300_000 });
  const destinations = useApiQuery('listDestinations', {}, { staleTime: 60_000 });
  return {
    dataSource(id: string): string {
      return sources.data?.items.find((source) => source.id === id)?.name ?? id;
    },
    destination(id: string): string | null {
      return destinations.data?.items.find((destination) => destination.id === id)?.name ?? null;
    },
  };
}

/** A template's name (custom templates too); its id until it loads. */
export function useTemplateName(templateId: string | undefined): string {
  const template = useApiQuery(
    'getTemplate',
    { params: { id: templateId ?? '' } },
    { staleTime: 300_000, enabled: Boolean(templateId) },
  );
  return template.data?.name ?? templateId ?? '';
}
