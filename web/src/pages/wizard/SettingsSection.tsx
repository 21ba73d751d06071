import {
  Checkbox,
  Group,
  Input,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { isoDayBefore } from './configProblems.ts';
import type { SettingValue, Template } from './draft.ts';
import { type FieldIssues, issueText } from './fieldIssues.ts';

type Setting = Template['settings'][number];

/** "7d_click" → "7-day click"; other option codes read as they are. */
export function optionLabel(option: string): string {
  const window = /^(\d+)d_(click|view)$/.exec(option);
  return window ? `${window[1]}-day ${window[2]}` : option.replace(/_/g, ' ');
}

/** Setting descriptions use Markdown code spans; plain text reads better in a form. */
function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, '$1');
}

function SettingInput({
  setting,
  value,
  error,
  onChange,
}: {
  setting: Setting;
  value: SettingValue | undefined;
  error: string | undefined;
  onChange: (value: SettingValue) => void;
}) {
  const options = setting.options ?? [];
  if (setting.kind === 'multi') {
    return (
      <Checkbox.Group
        label={setting.label}
        description={plain(setting.description)}
        value={Array.isArray(value) ? value : []}
        onChange={(next) => onChange(options.filter((option) => next.includes(option)))}
        error={error}
      >
        <Group gap="md" mt={8}>
          {options.map((option) => (
            <Checkbox key={option} value={option} label={optionLabel(option)} />
          ))}
        </Group>
      </Checkbox.Group>
    );
  }
  if (setting.kind === 'single') {
    return options.length <= 4 ? (
      <Input.Wrapper label={setting.label} description={plain(setting.description)} error={error}>
        <SegmentedControl
          mt={8}
          aria-label={setting.label}
          value={typeof value === 'string' ? value : String(setting.default)}
          onChange={onChange}
          data={options.map((option) => ({ value: option, label: optionLabel(option) }))}
        />
      </Input.Wrapper>
    ) : (
      <Select
        label={setting.label}
        description={plain(setting.description)}
        data={options.map((option) => ({ value: option, label: optionLabel(option) }))}
        value={typeof value === 'string' ? value : null}
        onChange={(next) => next && onChange(next)}
        allowDeselect={false}
        error={error}
      />
    );
  }
  return (
    <NumberInput
      label={setting.label}
      description={plain(setting.description)}
      value={typeof value === 'number' ? value : Number(setting.default)}
      min={setting.min}
      max={setting.max}
      allowDecimal={false}
      onChange={(next) => onChange(typeof next === 'number' ? next : Number(next))}
      error={error}
    />
  );
}

/** Custom settings: the history to load once, and the settings the template declares. */
export function SettingsSection({
  template,
  loadSince,
  settings,
  issues,
  onLoadSince,
  onSetting,
}: {
  template: Template;
  loadSince: string;
  settings: Record<string, SettingValue>;
  issues: FieldIssues;
  onLoadSince: (value: string) => void;
  onSetting: (name: string, value: SettingValue) => void;
}) {
  return (
    <Stack gap="lg">
      <TextInput
        maw={560}
        styles={{ input: { maxWidth: 220 } }}
        type="date"
        label="Load data since"
        description={`History loaded once when the extraction is created, recent days first. Leave empty to start from the schedules. The provider keeps ${template.historicalDepthDays} days.`}
        value={loadSince}
        min={isoDayBefore(template.historicalDepthDays)}
        max={isoDayBefore(0)}
        onChange={(event) => onLoadSince(event.currentTarget.value)}
        error={issueText(issues, 'loadSince')}
      />
      {template.settings.map((setting) => (
        <SettingInput
          key={setting.name}
          setting={setting}
          value={settings[setting.name]}
          error={issueText(issues, `settings.${setting.name}`)}
          onChange={(value) => onSetting(setting.name, value)}
        />
      ))}
    </Stack>
  );
}
