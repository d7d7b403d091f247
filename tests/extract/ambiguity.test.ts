import { describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { shippedTaxonomy } from '../helpers.js';

const ids = (text: string) => extractPosting({ text, sections: [] }, shippedTaxonomy()).skills.map((s) => s.id);

// [skill id, a sentence that names the skill, a near miss that must not count as it]
const CASES: [string, string, string][] = [
  ['go', 'Our services are written in Go and Python.', 'You will own our go-to-market plan and go to customer meetings.'],
  ['go', 'Go or Rust is fine; we deploy on Kubernetes.', 'Go above and beyond for our users.'],
  ['r', 'Analyses in R and SQL, with ggplot2 for charts.', 'Our R&D team sits in Berlin.'],
  ['c', 'Firmware in C for ARM microcontrollers.', 'You will report to the C-suite weekly.'],
  ['cpp', 'Low-latency C++ services.', 'We rate our vendors C+ or better.'],
  ['csharp', 'Backend services in C# and .NET.', 'The jingle is in C# minor.'],
  ['fsharp', 'Pricing models in F# and OCaml.', 'Play the melody in F# please.'],
  ['dotnet', 'APIs on .NET Core with Entity Framework.', 'See the details on acme.net today.'],
  ['swift', 'iOS apps in Swift and SwiftUI.', 'We value swift decisions and Swift action.'],
  ['rust', 'Systems code in Rust and C++.', 'We built this company on trust. Rust Belt roots.'],
  ['julia', 'Numerical work in Julia and Python.', 'Julia, our CTO, will meet you first.'],
  ['scala', 'Spark jobs written in Scala.', 'Tickets to La Scala for the team outing.'],
  ['ruby', 'Backend in Ruby and PostgreSQL.', 'Ruby, our office manager, will welcome you.'],
  ['rails', 'The app is Ruby on Rails with Sidekiq.', 'The old train rails behind the office are gone.'],
  ['apache-spark', 'ETL in Spark and Hadoop.', 'We want to spark joy. Spark curiosity in others.'],
  ['flask', 'APIs in Flask with PostgreSQL.', 'Lab kit: a Flask, a beaker and a pipette.'],
  ['express', 'REST APIs with Express and Node.js.', 'Express your ideas clearly in writing.'],
  ['react', 'UI in React and TypeScript.', 'React to customer feedback quickly.'],
  ['angular', 'Frontend in Angular and TypeScript.', 'Measure the angular momentum of the rotor.'],
  ['vue', 'Dashboards in Vue and JavaScript.', 'The Grand Vue Hotel is our biggest client.'],
  ['ember', 'A legacy app in Ember and JavaScript.', 'The last Ember of the campfire.'],
  ['chef', 'Configuration with Chef and Ansible.', 'Our Chef cooks lunch for the team.'],
  ['puppet', 'Servers managed with Puppet and Terraform.', 'The Puppet show for the kids is on Friday.'],
  ['saltstack', 'Configuration with Salt and Ansible.', 'Take every estimate with a grain of salt.'],
  ['excel', 'Reporting in Excel and SQL.', 'You will excel at customer service. Excel in your role.'],
  ['ms-access', 'Small databases in MS Access and Excel.', 'Access to data is granted on day one.'],
  ['ms-word', 'Documents in Word and Excel.', 'Word of mouth brings us customers.'],
  ['looker', 'Dashboards in Looker and BigQuery.', 'Looker, our designer, drew the logo.'],
  ['mode-analytics', 'Analyses in Mode and SQL.', 'Switch to Mode B when the alarm rings.'],
  ['airflow', 'Pipelines orchestrated by Airflow and dbt.', 'Check the Airflow in the server room.'],
  ['luigi', 'Batch jobs with Luigi and Hadoop.', 'Luigi from sales will call you.'],
  ['beam', 'Streaming with Beam on Dataflow.', 'The steel Beam was installed on Monday.'],
  ['flink', 'Stream processing with Flink and Kafka.', 'Flink delivered our groceries.'],
  ['storm', 'Real-time topologies in Storm and Kafka.', 'We took the market by storm. Storm clouds ahead.'],
  ['hive', 'Queries in Hive over HDFS.', 'The office is a Hive of activity.'],
  ['pig', 'Scripts in Pig on Hadoop.', 'The Pig farm project is in Iowa.'],
  ['keras', 'Models in Keras and TensorFlow.', 'Kerastase hair products are on sale.'],
  ['jax', 'Research code in JAX and Flax.', 'Jax, our office dog, says hi.'],
  ['torch', 'Legacy models in Torch and Lua.', 'Carry the Olympic Torch with pride.'],
  ['dash', 'Internal dashboards in Dash and Plotly.', 'Add a Dash of humour to the docs.'],
  ['streamlit', 'Internal apps in Streamlit.', 'We streamline onboarding.'],
  ['elasticsearch', 'Search on Elastic and Kibana.', 'Elastic hours for parents.'],
  ['redis', 'Caching in Redis.', 'Redistribution of shares happens yearly.'],
  ['oracle-db', 'Migrate from Oracle to PostgreSQL.', 'Our founder is an Oracle of product wisdom.'],
  ['snowflake', 'The warehouse runs on Snowflake with dbt.', 'Design a snowflake schema for the sales mart.'],
  ['databricks', 'Notebooks on Databricks with Spark.', 'Databricks, our partner, hosts the meetup.'],
  ['delta-lake', 'Tables in Delta on Databricks with Spark.', 'Fly Delta to the offsite.'],
  ['unity', 'Mobile games in Unity and C#.', 'Unity of purpose matters to us.'],
  ['kafka', 'Events flow through Kafka and Flink.', 'Our book club read Franz Kafka. A Kafkaesque process.'],
  ['pulsar', 'Messaging on Pulsar and Kafka.', 'A Pulsar was found by the astronomers.'],
  ['presto', 'Queries in Presto over Hive.', 'Presto! The report is done.'],
  ['trino', 'Federated queries with Trino and Iceberg.', 'Trino from accounting approves expenses.'],
  ['tableau', 'Dashboards in Tableau.', 'The tableaux vivants at the party.'],
  ['sas', 'Models in SAS and SPSS.', 'We sell a SaaS product; sign with a SAS token.'],
  ['spss', 'Surveys analysed in SPSS.', 'SPSSI membership is optional.'],
  ['stata', 'Econometrics in Stata and R.', 'Statal records are kept by the city.'],
  ['lean', 'Lean and Six Sigma in manufacturing.', 'Lean into the ambiguity.'],
  ['agile', 'Work in an Agile team with Scrum and Jira.', 'We are an agile startup with an Agile mindset.'],
  ['scrum', 'Sprints run with Agile Scrum in Jira.', 'Join the rugby scrum on Fridays.'],
  ['kanban', 'Work tracked on a Kanban board in Jira.', 'Lunch at Kanban Sushi downtown.'],
  ['machine-learning', 'Build ML models in Python.', 'Add 50 ml of water.'],
  ['artificial-intelligence', 'Experience building AI features with machine learning.', 'Meet AI, our receptionist.'],
  ['nlp', 'NLP with spaCy and Transformers.', 'NLP coaching for managers.'],
  ['computer-vision', 'CV and deep learning models with OpenCV.', 'Send your CV to our office.'],
  ['business-intelligence', 'BI reporting in Tableau and SQL.', 'The BI annual picnic is on Friday.'],
  ['etl', 'ETL pipelines with Airflow.', 'ETLA is a think tank.'],
  ['sql', 'Both SQL and NoSQL stores.', 'Only NoSQL stores here.'],
  ['java', 'Backend in Java and Spring Boot.', 'Frontend in JavaScript only.'],
  ['javascript', 'Frontend in JavaScript only.', 'Backend in Java and Spring Boot.'],
  // Issue 12: the words that ask for a skill name it as one, with nothing else around.
  ['databricks', 'Working knowledge of Databricks is a plus.', 'Our founders left Databricks last spring.'],
  ['chef', 'Experience with Chef.', 'Our Chef cooks lunch for the team.'],
  // "REST and ..." is often a list: only the idioms are ruled out.
  ['rest-api', 'You know JSON, REST and gRPC well.', 'Twice a year the team takes a week of rest and relaxation by the sea.'],
  // An amount's currency is not the design tool, however much design is around it.
  ['cad', 'Parts modeled in CAD and SolidWorks.', 'A stipend of 4,300 CAD per week for our mechanical design interns.'],
];

describe('ambiguous names: the skill in its technical sense, not the near miss', () => {
  it.each(CASES)('%s: hit in "%s", none in "%s"', (id, hit, miss) => {
    expect(ids(hit)).toContain(id);
    expect(ids(miss)).not.toContain(id);
  });

  it('takes support from its sentence only nearby, where line breaks were lost', () => {
    const filler = 'and the people who keep those wards running day and night and the families who visit them on weekends and the volunteers who bring books and music to the long corridors and the porters who know every shortcut';
    expect(filler.length).toBeGreaterThan(200);
    expect(ids(`We ship Python services to hospitals ${filler} and every Spark of kindness counts`)).not.toContain('apache-spark');
    expect(ids(`We ship Python services to hospitals and every Spark job counts ${filler}`)).toContain('apache-spark');
  });
});
