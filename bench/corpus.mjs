// A seeded generator of job postings for benchmarks: JSONL, one posting a line, HTML bodies of
// about 4 KB with headings, lists, requirement and nice-to-have sections, and noise words.
import { createWriteStream } from 'node:fs';
import { prng } from '../scripts/prng.mjs';

const SKILLS = ['Python', 'SQL', 'Java', 'Go', 'Rust', 'TypeScript', 'JavaScript', 'React', 'Node.js', 'Kubernetes', 'Docker', 'Terraform', 'AWS', 'GCP', 'Azure', 'PyTorch', 'TensorFlow', 'scikit-learn', 'pandas', 'Spark', 'Kafka', 'Airflow', 'dbt', 'Snowflake', 'PostgreSQL', 'Redis', 'MongoDB', 'Elasticsearch', 'GraphQL', 'gRPC', 'C++', 'C#', '.NET', 'Scala', 'Hadoop', 'Tableau', 'Looker', 'Power BI', 'Excel', 'MLflow', 'Kubeflow', 'Ray', 'LangChain', 'vector databases', 'large language models', 'RAG', 'CI/CD', 'Jenkins', 'GitHub Actions', 'Linux', 'Bash', 'Prometheus', 'Grafana', 'statistics', 'A/B testing', 'machine learning', 'deep learning', 'NLP', 'computer vision'];
const WORDS = 'we build products for teams that care about quality and speed our customers rely on the platform every day you will work with product design and engineering to ship features that matter the team is small senior and kind we value clear writing careful reviews and steady delivery over heroics we react to feedback quickly and keep our go-to-market team in the loop our R&D group works closely with support'.split(' ');
const HEADINGS = [['Requirements', 'What you bring', 'You have', 'Qualifications'], ['Nice to have', 'Bonus points', 'Preferred'], ['What you will do', 'Responsibilities'], ['Benefits', 'Perks']];

export function generatePosting(rand, k) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const sentence = (n) => {
    const w = Array.from({ length: n }, () => pick(WORDS)).join(' ');
    return `${w[0].toUpperCase()}${w.slice(1)}.`;
  };
  const para = () => `<p>${Array.from({ length: 4 + Math.floor(rand() * 4) }, () => sentence(12 + Math.floor(rand() * 12))).join(' ')}</p>`;
  const skills = (n) => Array.from({ length: n }, () => pick(SKILLS));
  const item = (s) => pick([`${1 + Math.floor(rand() * 7)}+ years of experience with ${s}`, `Strong ${s} skills`, `Hands-on ${s} in production`, `${s} is a plus`, `Familiarity with ${s}`]);
  const list = (n) => `<ul>${skills(n).map((s) => `<li>${item(s)}</li>`).join('')}</ul>`;
  const html = [
    `<h2>About us</h2>${para()}${para()}${para()}`,
    `<h2>${pick(HEADINGS[2])}</h2>${list(6)}${para()}`,
    `<h2>${pick(HEADINGS[0])}</h2>${list(8)}`,
    `<h2>${pick(HEADINGS[1])}</h2>${list(3)}`,
    `<h2>${pick(HEADINGS[3])}</h2>${para()}`,
  ].join('\n');
  const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 900) * 86_400_000).toISOString().slice(0, 10);
  return { id: `b${k}`, title: `${pick(['Senior ', '', 'Staff ', 'Junior '])}${pick(['Data Engineer', 'ML Engineer', 'Backend Engineer', 'Data Scientist'])}`, company: `Company ${k % 997}`, date: day, html };
}

/** Writes `n` postings to `path`; resolves with the byte count. */
export function writeCorpus(path, n, seed = 42) {
  const rand = prng(seed);
  const out = createWriteStream(path);
  let bytes = 0;
  return new Promise((resolve, reject) => {
    let k = 0;
    const pump = () => {
      while (k < n) {
        const line = `${JSON.stringify(generatePosting(rand, k++))}\n`;
        bytes += Buffer.byteLength(line);
        if (!out.write(line)) return void out.once('drain', pump);
      }
      out.end(() => resolve(bytes));
    };
    out.on('error', reject);
    pump();
  });
}
