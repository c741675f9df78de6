using System.Globalization;
using StatefunOperator.Runtime.Addressing;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>
/// Loads a StateFun module YAML file: multi-document YAML with the newer <c>kind:</c> documents
/// (<c>io.statefun.kafka.v1/ingress</c>, <c>io.statefun.kafka.v1/egress</c>) and/or the older
/// <c>module:</c> document with <c>ingresses</c> / <c>egresses</c> lists
/// (<c>statefun.kafka.io/routable-protobuf-ingress</c>, <c>statefun.kafka.io/generic-egress</c>).
/// All problems are collected and reported together, each naming the document, the field and the value.
/// </summary>
public static class ModuleYamlLoader
{
    public static ModuleConfiguration LoadFile(string path, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleConfigurationException($"module file '{path}': {e.Message}");
        }

        return Load(text, environment);
    }

    public static ModuleConfiguration Load(string yaml, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ModuleConfigurationException(
                string.Create(CultureInfo.InvariantCulture, $"module YAML: line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}"));
        }

        var all = new List<string>();
        var notices = new List<string>();
        var ingresses = new List<KafkaIngressSpec<RoutableMessage>>();
        var egresses = new List<KafkaEgressOptions>();
        var endpoints = new List<FunctionEndpoint>();
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
                        LoadComponent(declared, problems, ingresses, egresses, endpoints, notices);
                        problems.Owner = label;
                    }

                    break;
                default:
                    all.Add($"{label}: expected a mapping at the top");
                    break;
            }
        }

        AddDuplicateProblems(all, ingresses.Select(x => "ingress " + x.Id), egresses.Select(x => "egress " + x.Id));
        all.AddRange(ModuleCrossChecks.Validate(ingresses, egresses));
        all.AddRange(ModuleCrossChecks.ValidateTargets(ingresses, endpoints));
        notices.AddRange(ModuleCrossChecks.TargetNotices(ingresses, endpoints));
        return all.Count > 0
            ? throw new ModuleConfigurationException(all)
            : new ModuleConfiguration(ingresses, egresses, notices) { Endpoints = endpoints };
    }

    private static void LoadComponent(
        DeclaredComponent declared,
        ProblemList problems,
        List<KafkaIngressSpec<RoutableMessage>> ingresses,
        List<KafkaEgressOptions> egresses,
        List<FunctionEndpoint> endpoints,
        List<string> notices)
    {
        if (ModuleKinds.Ingress.Contains(declared.Kind))
        {
            problems.Owner = "ingress " + declared.IdText;
            if (ParseId(declared, problems) is { } id && KafkaIngressYamlParser.Parse(declared.Spec, id, problems) is { } ingress)
            {
                ingresses.Add(ingress);
            }
        }
        else if (ModuleKinds.Egress.Contains(declared.Kind))
        {
            problems.Owner = "egress " + declared.IdText;
            if (ParseId(declared, problems) is { } id && KafkaEgressYamlParser.Parse(declared.Spec, id, problems) is { } egress)
            {
                egresses.Add(egress);
            }
        }
        else if (ModuleKinds.Endpoint.Contains(declared.Kind))
        {
            problems.Owner = "endpoint " + (declared.Spec.Has("functions") ? declared.Spec.String("functions") : declared.Location);
            if (HttpEndpointYamlParser.Parse(declared.Spec, problems) is { } endpoint)
            {
                endpoints.Add(endpoint);
            }
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

    private static TypeName? ParseId(DeclaredComponent declared, ProblemList problems)
    {
        if (TypeName.TryParse(declared.IdText, out var id, out var problem))
        {
            return id;
        }

        problems.Owner = declared.Location;
        problems.Add(declared.IdField, problem);
        return null;
    }

    private static void AddDuplicateProblems(List<string> all, params IEnumerable<string>[] ids)
    {
        foreach (var duplicate in ids.SelectMany(x => x).GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            all.Add($"{duplicate.Key}: declared {duplicate.Count()} times; ids must be unique");
        }
    }
}
