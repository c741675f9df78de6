using System.Globalization;
using StatefunOperator.Module.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StatefunOperator.Module.Yaml;

/// <summary>
/// Reads StateFun module YAML into a <see cref="ModuleDefinition"/>: multi-document YAML with the newer
/// <c>kind:</c> documents and/or the older <c>module:</c> document with <c>ingresses</c> / <c>egresses</c>
/// lists; <c>${VAR}</c> in values is expanded from the environment. It reports only what is wrong with the
/// YAML's shape (a list where a value belongs, an unknown kind, a bad id); what the values mean is checked by
/// <see cref="Validation.ModuleValidator"/>, for YAML and custom resources alike.
/// </summary>
public static class ModuleYamlReader
{
    public static ModuleReadResult Read(string yaml, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            return new ModuleReadResult(
                ModuleDefinition.Empty,
                [string.Create(CultureInfo.InvariantCulture, $"module YAML: line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}")],
                []);
        }

        var all = new List<string>();
        var notices = new List<string>();
        var ingresses = new List<KafkaIngressDefinition>();
        var egresses = new List<KafkaEgressDefinition>();
        var endpoints = new List<HttpEndpointDefinition>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"document {i + 1}");
            var problems = new ProblemList(all, label, environment);
            switch (stream.Documents[i].RootNode)
            {
                case YamlScalarNode { Value: null or "" }:
                    continue;
                case YamlMappingNode root:
                    foreach (var declared in ModuleDocumentReader.Read(new YamlSection(root, string.Empty, problems), problems))
                    {
                        ReadComponent(declared, problems, ingresses, egresses, endpoints, notices);
                        problems.Owner = label;
                    }

                    break;
                default:
                    all.Add($"{label}: expected a mapping at the top");
                    break;
            }
        }

        return new ModuleReadResult(new ModuleDefinition(ingresses, egresses, endpoints), all, notices);
    }

    private static void ReadComponent(
        DeclaredComponent declared,
        ProblemList problems,
        List<KafkaIngressDefinition> ingresses,
        List<KafkaEgressDefinition> egresses,
        List<HttpEndpointDefinition> endpoints,
        List<string> notices)
    {
        if (ModuleKinds.Ingress.Contains(declared.Kind))
        {
            problems.Owner = "ingress " + declared.IdText;
            if (CheckId(declared, problems))
            {
                ingresses.Add(KafkaIngressYaml.Read(declared.Spec, declared.IdText));
            }
        }
        else if (ModuleKinds.Egress.Contains(declared.Kind))
        {
            problems.Owner = "egress " + declared.IdText;
            if (CheckId(declared, problems))
            {
                egresses.Add(KafkaEgressYaml.Read(declared.Spec, declared.IdText));
            }
        }
        else if (ModuleKinds.Endpoint.Contains(declared.Kind))
        {
            var endpoint = HttpEndpointYaml.Read(declared.Spec);
            problems.Owner = "endpoint " + endpoint.Functions;
            endpoints.Add(endpoint);
        }
        else if (ModuleKinds.Deferred.Contains(declared.Kind))
        {
            notices.Add($"{declared.Location}: kind '{declared.Kind}' is not served by this runtime yet; ignored");
        }
        else
        {
            problems.Add(declared.KindField, $"'{declared.Kind}' is not a kind this runtime knows; expected one of {string.Join(", ", ModuleKinds.Ingress.Concat(ModuleKinds.Egress).Concat(ModuleKinds.Endpoint).Concat(ModuleKinds.Deferred))}");
        }
    }

    private static bool CheckId(DeclaredComponent declared, ProblemList problems)
    {
        if (TypeName.TryParse(declared.IdText, out _, out var problem))
        {
            return true;
        }

        problems.Owner = declared.Location;
        problems.Add(declared.IdField, problem);
        return false;
    }
}
