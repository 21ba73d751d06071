import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { CircleCheck } from 'lucide-react';
import { useState } from 'react';
import { useApiMutation } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { Template, WizardDraft } from './draft.ts';
import { fieldIssuesOf, issueText } from './fieldIssues.ts';

/** Saves the current fields and settings as a custom template, reusable for later extractions. */
export function SaveTemplatePanel({ draft, template }: { draft: WizardDraft; template: Template }) {
  const [name, setName] = useState(`${template.name} (custom)`);
  const save = useApiMutation('createTemplate', ['listTemplates']);
  const issues = fieldIssuesOf(save.error);
  const submit = () =>
    save.mutate({
      body: {
        // Custom templates are copies of a global one, so a custom template is saved against its own base.
        baseTemplateId: template.custom && template.baseTemplateId ? template.baseTemplateId : template.id,
        name: name.trim(),
        description: template.description,
        dimensions: draft.dimensions,
        metrics: draft.metrics,
        settings: draft.settings,
      },
    });
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Keep these fields and settings as a template of your own, to start the next extraction from it.
      </Text>
      <TextInput
        label="Template name"
        value={name}
        onChange={(event) => {
          setName(event.currentTarget.value);
          save.reset();
        }}
        error={issueText(issues, 'name')}
      />
      <Group>
        <Button variant="default" onClick={submit} loading={save.isPending} disabled={!name.trim()}>
          Save template
        </Button>
      </Group>
      {save.isSuccess && (
        <Alert color="teal" variant="light" icon={<CircleCheck size={18} />} role="status">
          Saved “{save.data.name}”. It is listed under Custom when you choose a template.
        </Alert>
      )}
      {save.error && !issueText(issues, 'name') && (
        <ErrorAlert error={save.error} title="The template could not be saved" />
      )}
    </Stack>
  );
}
