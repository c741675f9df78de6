using System.Globalization;

namespace StatefunOperator.Module.Yaml;

/// <summary>Finds the components of one YAML document, in either the <c>kind:</c> or the <c>module:</c> form.</summary>
internal static class ModuleDocumentReader
{
    public static IEnumerable<DeclaredComponent> Read(YamlSection root, ProblemList problems)
    {
        if (root.Has("kind"))
        {
            var kind = root.String("kind", required: true) ?? string.Empty;
            var spec = root.Section("spec", required: true);
            if (spec is null)
            {
                yield break;
            }

            var id = ModuleKinds.Deferred.Contains(kind) ? spec.String("functions") ?? string.Empty : spec.String("id") ?? string.Empty;
            yield return new DeclaredComponent(kind, "kind", id, "spec.id", problems.Owner, spec.AsRoot());
            yield break;
        }

        // The older form: a "module" with meta and spec; tolerate the spec at the top, as the
        // StateFun documentation's own example has it.
        var module = root.Section("module");
        var moduleSpec = module?.Section("spec") ?? root.Section("spec");
        if (moduleSpec is null)
        {
            problems.Add("kind", "missing: a document needs a 'kind' (e.g. io.statefun.kafka.v1/ingress) or a 'module' with a 'spec'");
            yield break;
        }

        foreach (var component in Legacy(moduleSpec, "ingresses", "ingress", problems)
            .Concat(Legacy(moduleSpec, "egresses", "egress", problems)))
        {
            yield return component;
        }
    }

    private static IEnumerable<DeclaredComponent> Legacy(YamlSection moduleSpec, string listKey, string itemKey, ProblemList problems)
    {
        foreach (var (item, index) in moduleSpec.Sections(listKey))
        {
            var location = string.Create(CultureInfo.InvariantCulture, $"{problems.Owner} {listKey}[{index}]");
            problems.Owner = location;
            var component = item.Section(itemKey, required: true);
            var meta = component?.Section("meta", required: true);
            var spec = component?.Section("spec", required: true);
            if (meta is null || spec is null)
            {
                continue;
            }

            var kind = meta.String("type", required: true) ?? string.Empty;
            var id = meta.String("id", required: true) ?? string.Empty;
            yield return new DeclaredComponent(kind, meta.FieldPath("type"), id, meta.FieldPath("id"), location, spec.AsRoot());
        }
    }
}
