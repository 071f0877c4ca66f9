import type { Core } from '@strapi/strapi';
import { EDITOR_VIEWS } from '../content-types/editor-views';
import { attributeType } from '../utils/strapi-adapter';

export { EDITOR_VIEWS, type TypeView } from '../content-types/editor-views';

type Metadata = { edit: Record<string, unknown>; list: Record<string, unknown> };
interface Configuration {
  settings: Record<string, unknown>;
  metadatas: Record<string, Metadata>;
  layouts: { list: string[]; edit: Array<Array<{ name: string; size: number }>> };
  options?: Record<string, unknown>;
}

/**
 * Writes each booking type's Content Manager view (content-types/editor-views.ts: main field,
 * list sorting and columns, what the form shows and lets an editor change) into Strapi's store
 * (the "Configure the view" settings) at every boot, so a deploy brings every instance's editors
 * the same views.
 */
const createEditorViewsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const cm = () => strapi.plugin('content-manager');

  const sizeOf = (uid: string, field: string): number => {
    return (
      cm()
        .service('field-sizes')
        .getFieldSize(attributeType(strapi, uid, field) ?? 'string') as { default: number }
    ).default;
  };

  return {
    /**
     * Writes the plugin's part of each booking type's Content Manager configuration over what is
     * stored; what the plugin does not name (page size, other metadata) stays as an admin set it.
     */
    async apply(): Promise<void> {
      const contentTypes = cm().service('content-types');
      for (const [uid, view] of Object.entries(EDITOR_VIEWS)) {
        const contentType = contentTypes.findContentType(uid);
        if (!contentType) continue;
        const current = (await contentTypes.findConfiguration(contentType)) as Configuration;
        const attributes = contentType.attributes as Record<string, unknown>;
        const metadatas: Record<string, Metadata> = { ...current.metadatas };
        for (const [field, spec] of Object.entries(view.fields)) {
          if (!(field in attributes)) continue; // a field another change removed
          const was = metadatas[field] ?? { edit: {}, list: {} };
          const edit: Record<string, unknown> = { ...was.edit, label: spec.label, description: spec.description ?? '' };
          if (spec.editable !== undefined) edit.editable = spec.editable;
          if (spec.visible !== undefined) edit.visible = spec.visible;
          if (spec.mainField) edit.mainField = spec.mainField;
          const list: Record<string, unknown> = { ...was.list, label: spec.label };
          if (spec.sortable !== undefined) list.sortable = spec.sortable;
          metadatas[field] = { edit, list };
        }
        const known = (rows: string[][]) =>
          rows
            .map((row) => row.filter((field) => field in attributes && metadatas[field]?.edit.visible !== false))
            .filter((row) => row.length > 0);
        await contentTypes.updateConfiguration(contentType, {
          ...current,
          settings: {
            ...current.settings,
            mainField: view.mainField,
            defaultSortBy: view.sortBy,
            defaultSortOrder: view.sortOrder,
          },
          metadatas,
          layouts: {
            ...current.layouts,
            list: view.list.filter((field) => field in attributes),
            edit: known(view.edit).map((row) => row.map((name) => ({ name, size: sizeOf(uid, name) }))),
          },
        });
      }
    },
  };
};

export type EditorViewsService = ReturnType<typeof createEditorViewsService>;
export default createEditorViewsService;
