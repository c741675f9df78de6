using System.Globalization;
using StatefunOperator.CsGreeter;
using StatefunOperator.Sdk.AspNetCore;

// Usage: statefun-cs-greeter <port> <egress topic> [egress typename, default example/greetings] [function typename,
// default example/greeter]. Listens on 127.0.0.1, or on GREETER_HOST (in a pod: 0.0.0.0); serves /statefun and prints
// "listening <port>" when ready.
if (args.Length < 2 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
{
    await Console.Error.WriteLineAsync("usage: statefun-cs-greeter <port> <egress topic> [egress typename] [function typename]");
    return 2;
}

var greeter = new Greeter(args.Length > 2 ? args[2] : "example/greetings", args[1])
{
    TypeName = StatefunOperator.Sdk.TypeName.Parse(args.Length > 3 ? args[3] : "example/greeter"),
};
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls($"http://{Environment.GetEnvironmentVariable("GREETER_HOST") ?? "127.0.0.1"}:{port}");
var app = builder.Build();
app.MapStatefun("/statefun", functions => functions.Bind(greeter));
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"listening {port}"));
await app.RunAsync();
return 0;
