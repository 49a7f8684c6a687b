const express = require("express");
const { Queue } = require("bullmq");

const invoices = new Queue("invoices", { connection: { host: "localhost", port: 6379 } });
const app = express();

app.post("/invoices", async (req, res) => {
  await invoices.add("send", { at: Date.now() });
  res.status(202).end();
});

app.listen(3000);
