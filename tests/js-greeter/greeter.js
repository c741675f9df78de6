// A greeter written against the official StateFun JavaScript SDK, as a StateFun user would write it:
// it keeps a per-user counter in state and greets each user through the SDK's Kafka egress helper.
// Usage: node greeter.js <port> <egress topic> [egress typename, default example/greetings]. Listens on 127.0.0.1, or on the address in GREETER_HOST (in a pod: 0.0.0.0, the pod's own network); prints
// "listening <port>" when ready.
// The name "poison" makes it throw, as a function with a bug would (the SDK then answers HTTP 500): the tests use it
// to show that one failing address blocks only itself.
"use strict";

const http = require("http");
const { StateFun, kafkaEgressMessage } = require("apache-flink-statefun");

const port = Number(process.argv[2]);
const topic = process.argv[3];
const egress = process.argv[4] || "example/greetings";
if (!Number.isInteger(port) || !topic) {
  console.error("usage: node greeter.js <port> <egress topic> [egress typename]");
  process.exit(2);
}

const statefun = new StateFun();
statefun.bind({
  typename: "example/greeter",
  specs: [{ name: "seen", type: StateFun.intType() }],
  fn(context, message) {
    const name = message.rawValueBytes.toString("utf8");
    if (name === "poison") {
      throw new Error(`cannot greet ${name}`);
    }
    const seen = (context.storage.seen || 0) + 1;
    context.storage.seen = seen;
    context.send(kafkaEgressMessage({
      typename: egress,
      topic: topic,
      key: context.self.id,
      value: `Hello ${name}, seen ${seen} times`,
    }));
  },
});

const server = http.createServer(statefun.handler());
server.listen(port, process.env.GREETER_HOST || "127.0.0.1", () => console.log(`listening ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
