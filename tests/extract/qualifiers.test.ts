import { describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { analyzeSentence, anyOf, lowerSentence } from '../../src/extract/qualifiers.js';
import { findSections } from '../../src/normalize/sections.js';
import type { SkillHit } from '../../src/types.js';
import { shippedTaxonomy } from '../helpers.js';

const extract = (text: string, title?: string) => extractPosting({ text, sections: findSections(text), title }, shippedTaxonomy());
const skill = (text: string, id: string): SkillHit | undefined => extract(text).skills.find((s) => s.id === id);

describe('requirement level', () => {
  it.each([
    ['Requirements\n- Python', 'python', 'required'],
    ['Nice to have\n- Python', 'python', 'preferred'],
    ["What you'll do\n- Write Python", 'python', 'unspecified'],
    ['You must know Python and ideally Rust.', 'python', 'required'],
    ['You must know Python and ideally Rust.', 'rust', 'preferred'],
    ['Snowflake is required; Databricks is a plus.', 'databricks', 'preferred'],
    ['Snowflake is required; Databricks is a plus.', 'snowflake', 'required'],
    ['Requirements\n- Terraform experience is nice to have.', 'terraform', 'preferred'],
    ['Requirements\n- Familiarity with Docker is helpful', 'docker', 'preferred'],
    ["It's a plus if you have some Python.", 'python', 'preferred'],
    ['Experience with Istio would be nice.', 'istio', 'preferred'],
    ['Strong experience in dbt.', 'dbt', 'required'],
    ['Kotlin is not required, but a plus.', 'kotlin', 'preferred'],
    ['Bonus points for Kotlin.', 'kotlin', 'preferred'],
    ['We use Golang.', 'go', 'unspecified'],
    // Issue 12: the guidelines' levels.
    ["We're looking for Rust and Go hackers.", 'rust', 'required'],
    ['You should live and breathe TypeScript.', 'typescript', 'required'],
    ['Terraform experience is a must, and Pulumi is a bonus.', 'terraform', 'required'],
    ['Preferably has worked with Snowflake and has strong dbt skills.', 'dbt', 'preferred'],
    ['Nice to have\n- Experience with Terraform', 'terraform', 'preferred'],
    ['Experience with Terraform', 'terraform', 'required'],
    ['You might have familiarity with Tableau.', 'tableau', 'preferred'],
    ['Stack: Python, Postgres, Swift (nice to have)', 'postgresql', 'unspecified'],
    ['Stack: Python, Postgres, Swift (nice to have)', 'swift', 'preferred'],
    ['Knowing the languages we write – Scala, Python and SQL – will be helpful.', 'scala', 'preferred'],
    ['Requirements: Python | Bonus: Rust', 'rust', 'preferred'],
    ["We're looking for engineers to build our Android apps.", 'android', 'unspecified'],
    ['You will have a chance to work with Clojure.', 'clojure', 'unspecified'],
    // A form's next field ends the value a cue reaches.
    ['We keep the county archive open to the public on weekdays and some Saturdays. Clearance Required:Secret Team:Tableau reporting', 'tableau', 'unspecified'],
    ['We keep the county archive open to the public on weekdays and some Saturdays. Clearance:Secret Required:Tableau reporting', 'tableau', 'required'],
  ])('%j: %s is %s', (text, id, level) => {
    expect(skill(text, id)?.requirement).toBe(level);
  });

  it('takes the strongest level when a skill is named several times', () => {
    expect(skill('About us\nWe use Python.\n\nNice to have\n- Python\n\nRequirements\n- Python', 'python')?.requirement).toBe('required');
  });
});

describe('negation', () => {
  it.each([
    ['No Java experience needed.', 'java'],
    ['No Java, PHP or .NET experience needed.', 'dotnet'],
    ['Java is not required.', 'java'],
    ['Knowledge of Java and Spring is not required.', 'spring'],
    ['This is not a Kubernetes role.', 'kubernetes'],
    ['We use dbt instead of stored procedures, and Metabase rather than Tableau.', 'tableau'],
    ['Unlike Jenkins, GitHub Actions needs no servers.', 'jenkins'],
    ['You do not need to know Python or R for this role.', 'r'],
    ['Not required: Kubernetes.', 'kubernetes'],
    ["We don't use React Native.", 'react-native'],
    ['Our engineers dislike PHP.', 'php'],
    ['We moved off MongoDB last year.', 'mongodb'],
  ])('%j negates %s', (text, id) => {
    expect(skill(text, id)?.negated).toBe(true);
  });

  it.each([
    ['Including but not limited to Python and Go.', 'python'],
    ['We ship without ceremony, using Python.', 'python'],
    ['Not only Python but also Go.', 'python'],
    ['No matter the team, Python is our language.', 'python'],
    ['Build pipelines without Airflow, using Dagster.', 'dagster'],
  ])('%j does not negate %s', (text, id) => {
    expect(skill(text, id)?.negated).toBe(false);
  });

  it('rules a skill out when it is otherwise named only in passing', () => {
    expect(skill('We are moving from Java to Go. No Java experience needed.', 'java')?.negated).toBe(true);
    expect(skill('Requirements\n- Java\n\nNo Java 8 experience needed.', 'java')?.negated).toBe(false);
  });
});

describe('years', () => {
  it.each([
    ['5+ years of Python', 'python', 5],
    ['3-5 years with AWS', 'aws', 3],
    ['At least two years of Kubernetes', 'kubernetes', 2],
    ['Five years of experience with Golang', 'go', 5],
    ['SQL (3+ years)', 'sql', 3],
    ['Tableau: 2 years minimum', 'tableau', 2],
    ['5+ years of Python and Go', 'go', 5],
    // Issue 15: a heading on the same line reads as on a line of its own.
    ['Requirements: 5+ years of Python.', 'python', 5],
    ['Requirements:\n5+ years of Python.', 'python', 5],
    ['Qualifications: 4+ years of experience with Java, Go, and Rust', 'rust', 4],
    ['Python: 5+ years of experience', 'python', 5],
    ['5+ years of Python, Java and Go', 'java', 5],
  ])('%j gives %s %d years', (text, id, years) => {
    expect(skill(text, id)?.years).toBe(years);
  });

  it('does not give years to a skill that only stands in the same sentence', () => {
    expect(skill('3+ years of experience as a data engineer working with Spark', 'apache-spark')?.years).toBeUndefined();
    // A new item of a list, with its own words, does not share the figure (issue 15).
    expect(skill('Requirements:\n- 3+ years of Python, strong SQL', 'sql')?.years).toBeUndefined();
    expect(skill('At least 2 years of C++, experience with Unix', 'unix')?.years).toBeUndefined();
  });

  it.each([
    ['5+ years of experience in software engineering', 5],
    ['3-5 years of experience as a backend developer', 3],
    ['5 years of experience in data science, or 3 with a Master\'s degree', 3],
    ['Five years of experience running production systems.\n- At least two years of Kubernetes', 5],
    // Only tool figures: the largest required one.
    ['2+ years of Terraform\n- 3+ years with AWS', 3],
    ['7+ years of experience in data engineering\n- 3+ years with PySpark', 7],
    // The company's history is no experience figure.
    ['We have been around for 10 years.', undefined],
    ['We started 4 years ago and have grown to 60 people.', undefined],
    ['0-3 years of experience in analytics', 0],
    ['Three (3) years of professional experience', 3],
    ['Requirements\n- 4+ YOE building web apps', 4],
    ['Nice to have\n- 8+ years of experience in fintech', undefined],
    ['6+ years of experience in marketing, with at least 2 years leading a team', 6],
  ])('%j: the role needs %s years', (text, years) => {
    expect(extract(text).minYears).toBe(years);
  });
});

describe('degree and seniority', () => {
  it.each([
    ["Bachelor's or Master's degree in Computer Science", 'bachelor'],
    ['PhD in physics', 'phd'],
    ["Master's required, PhD preferred", 'master'],
    ['BS/MS in Computer Science', 'bachelor'],
    ['Associate degree in IT', 'associate'],
    ['No degree required.', 'none'],
    ['A degree is not necessary.', 'none'],
    ['We love degrees of freedom.', undefined],
    ['Bachelor’s degree in Economics', 'bachelor'],
    ['Bachelor in Information Systems', 'bachelor'],
    ['A degree in Statistics or Physics', 'bachelor'],
    ["Logistics\nMinimum education: Master’s degree or equivalent", 'master'],
  ])('%j -> %s', (text, degree) => {
    expect(extract(text).degree).toBe(degree);
  });

  it.each([
    ['Senior Data Engineer', 'senior'],
    ['Staff Software Engineer', 'staff'],
    ['Lead ML Engineer', 'lead'],
    ['Engineering Manager, Data', 'manager'],
    ['Junior Web Developer', 'junior'],
    ['Data Science Intern', 'intern'],
    ['Director of Engineering', 'director'],
    ['Data Engineer', undefined],
  ])('title %j -> %s', (title, seniority) => {
    expect(extract('Python', title).seniority).toBe(seniority);
  });
});

describe('confidence', () => {
  it('is higher for an unambiguous name than for one confirmed by context', () => {
    const x = extract('Requirements\n- Python and Go');
    const py = x.skills.find((s) => s.id === 'python');
    const go = x.skills.find((s) => s.id === 'go');
    expect(py?.confidence).toBeGreaterThan(go?.confidence ?? 1);
    for (const s of x.skills) expect(s.confidence).toBeLessThanOrEqual(0.99);
  });
});

describe('lowerSentence', () => {
  it('lowercases and straightens curly and back quotes, from the text or from its lowercase given', () => {
    expect(lowerSentence('It’s `Go` OR Rust')).toBe("it's 'go' or rust");
    expect(lowerSentence('It’s GO', 'it’s go')).toBe("it's go");
    const sentence = 'Python (5+ years) is REQUIRED, Go isn’t needed but is a plus';
    expect(analyzeSentence(sentence, lowerSentence(sentence))).toEqual(analyzeSentence(sentence));
  });
});

describe('anyOf', () => {
  it('finds a sentence holding any of the words, as a substring, with their punctuation taken literally', () => {
    const words = ['use', 'work with', 'ph.d', 'c++', 'a|b'];
    const gate = anyOf(words);
    for (const s of ['we use go', 'users', 'we work with rust', 'a ph.d in cs', 'modern c++', 'a|b testing']) expect(gate.test(s), s).toBe(words.some((w) => s.includes(w)));
    for (const s of ['we work in go', 'a phxd', 'c+ only', 'ab testing', 'a or b', '']) expect(gate.test(s), s).toBe(false);
  });
});
